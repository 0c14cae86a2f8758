// translate_responses_request(): a POST /v1/responses body (OpenAI Responses API) as the chat
// completions request the pipeline runs. `input` (a string, or message / function_call /
// function_call_output / reasoning items), `instructions`, function `tools`, `tool_choice`,
// `parallel_tool_calls`, `max_output_tokens`, sampling fields, `reasoning.effort`, `stream`.
// Honest about what the proxy cannot do: no server-side state (`store: true`,
// `previous_response_id`, `conversation`, item references are refused with a clear 400, a client
// sends the whole conversation); reasoning items sent back are not replayed to the model and no
// encrypted reasoning is ever produced; hosted tools (web search, file search, ...) are not
// offered to the model. Called by http/responses_handler.
#pragma once

#include <string>
#include <string_view>

#include "frontend/translated_request.hpp"

namespace vep::host {

// Throws ProxyError (invalid_json, invalid_request, unsupported_request_field, ...).
TranslatedRequest translate_responses_request(std::string_view body);

}  // namespace vep::host
