// make_tool_responder(): the tool-emulated answer (seed-behaviour §8.10, §9.5, with §14 items 5,
// 6, 11 and 12 fixed). Buffered: each attempt is read whole, classified, and retried with a
// correction prompt up to tools.max_retries (502 invalid_tool_call with details when exhausted;
// X-Venice-Proxy-Tool-Retries on success). Streaming: text streams as it arrives until a start
// marker can begin, tool calls are emitted as delta.tool_calls with finish_reason "tool_calls",
// an invalid attempt is retried mid-stream, and required/named tool_choice is enforced. The
// tool-call timeout and size bound apply to the tool-call block only. Called by make_responder().
#pragma once

#include <memory>

#include "chat/responder.hpp"

namespace vep::host {

std::unique_ptr<Responder> make_tool_responder(ResponseContext &rc);

}  // namespace vep::host
