// make_messages_shape(): the answer of POST /v1/messages (Anthropic Messages API). Streaming:
// message_start and ping, then one content block per part of the answer — thinking (the model's
// reasoning, thinking_delta; no signature: the proxy cannot sign), text (text_delta), tool_use
// (input_json_delta with the whole argument JSON) — each content_block_start / _delta / _stop,
// then message_delta (stop_reason end_turn, max_tokens or tool_use; usage) and message_stop; a
// failed answer ends with an `error` event, never with message_stop. Buffered: the message object.
// Tool-use ids are toolu_…; errors have Anthropic's shape (anthropic_error).
#pragma once

#include <memory>

#include "frontend/answer_shape.hpp"
#include "frontend/translated_request.hpp"

namespace vep::host {

std::unique_ptr<AnswerShape> make_messages_shape(const TranslatedRequest &request);

}  // namespace vep::host
