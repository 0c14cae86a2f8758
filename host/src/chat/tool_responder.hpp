// make_tool_responder(): the tool-emulated answer. Buffered: each attempt is read whole,
// classified, and an invalid one sent back for correction (X-Venice-Proxy-Tool-Retries on
// success). Streaming: text streams as it arrives until a start marker can begin, tool calls are
// emitted as delta.tool_calls with finish_reason "tool_calls", an invalid attempt is corrected
// mid-stream, and required/named tool_choice is enforced. The tool-call timeout and size bound
// apply to the tool-call block only. Called by make_responder().
#pragma once

#include <memory>

#include "chat/responder.hpp"

namespace vep::host {

std::unique_ptr<Responder> make_tool_responder(Exchange &exchange, AnswerSink &sink, const ResponderSettings &settings);

}  // namespace vep::host
