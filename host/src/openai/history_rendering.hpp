// Turning validated chat messages into the plaintext messages sent upstream.
//
// Owns: the reference proxy's message normalisation — assistant content plus rendered tool-call
// history, tool results as `user` messages — and the default HistoryRenderer, which uses the SDK's
// text forms (vep::previous_tool_call_text, vep::tool_result_text in vep/sdk.hpp). Called by the
// encrypt stage before each message is encrypted; tool_format plugins may supply their own
// HistoryRenderer.
#pragma once

#include <vector>

#include "openai/chat_request.hpp"

namespace vep::host {

// Normalises `messages` in order:
// - assistant: text; text + "\n\n" + renderer.tool_calls(calls) when both are present; only the
//   rendered calls when the text is empty (content "" keeps its calls, which the reference proxy
//   dropped);
// - tool: role "user", content renderer.tool_result(tool_call_id, text);
// - system, developer, user: unchanged.
std::vector<UpstreamMessage> render_messages(const std::vector<ChatMessage> &messages,
                                             const HistoryRenderer &renderer);

// The reference forms:
//   <previous_tool_call id="ID" name="NAME">\n{canonical sorted compact arguments}\n</previous_tool_call>
//   (calls joined by "\n"), and
//   <tool_result id="ID">\nCONTENT\n</tool_result>\n\nUse the tool result above to continue the answer.
// Attribute values escape & " < >; content is not escaped.
HistoryRenderer default_history_renderer();

}  // namespace vep::host
