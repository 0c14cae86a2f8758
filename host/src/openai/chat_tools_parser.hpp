// Validation of a chat request's `tools` and `tool_choice`.
//
// Owns: the reference proxy's rules — the OpenAI function-tool envelope
// (plus the harmless `strict` flag, accepted and ignored), blank-name checks, and the four
// tool_choice shapes. Duplicate names and schema shape are the tools module's job. Called by
// parse_chat_request() only.
#pragma once

#include <vector>

#include "openai/chat_request.hpp"

namespace vep::host {

// `tools` value (present in the request) -> typed definitions; throws ProxyError invalid_request.
std::vector<ToolDefinition> parse_tools(const json::Value &tools);

// `tool_choice` value, or nullptr when absent; null means auto.
ToolChoice parse_tool_choice(const json::Value *tool_choice);

}  // namespace vep::host
