// make_responses_shape(): the answer of POST /v1/responses (OpenAI Responses API). Streaming:
// response.created and response.in_progress, then per output item response.output_item.added,
// its deltas (response.reasoning_text.delta for the model's reasoning, response.content_part.added
// / response.output_text.delta / .done / response.content_part.done for text,
// response.function_call_arguments.delta / .done for a tool call) and response.output_item.done,
// and response.completed (response.incomplete when the model hit its token limit) with the usage;
// a failed answer ends with `error` and response.failed, never with response.completed. Buffered:
// the response object. Reasoning items carry the model's reasoning text as `content`; the proxy
// makes no summaries and no encrypted reasoning. Errors keep the OpenAI error JSON.
#pragma once

#include <memory>

#include "frontend/answer_shape.hpp"
#include "frontend/translated_request.hpp"

namespace vep::host {

std::unique_ptr<AnswerShape> make_responses_shape(const TranslatedRequest &request);

}  // namespace vep::host
