// translate_messages_request(): a POST /v1/messages body (Anthropic Messages API, what Claude Code
// speaks) as the chat completions request the pipeline runs: `system` (string or text blocks),
// `messages` with text, tool_use and tool_result blocks (and `role: "system"` entries wherever
// they appear), custom `tools` with `input_schema`, `tool_choice` (auto/any/tool/none),
// `max_tokens`, `stop_sequences`, `temperature`, `top_p`, `thinking` (disabled turns the model's
// reasoning off; enabled/adaptive leave it to the model), `stream`. Thinking blocks sent back are
// not replayed; accepted and not acted on: metadata, cache_control, context_management,
// output_config.effort, service_tier; a tool_result with is_error reaches the model as
// "Error: <content>". Refused with a clear 400: images and documents, server
// tools, top_k, containers, MCP servers. Also estimate_input_tokens() for count_tokens. Called by
// http/messages_handler.
#pragma once

#include <cstdint>
#include <string_view>

#include "frontend/translated_request.hpp"

namespace vep::host {

// Throws ProxyError (invalid_json, invalid_request, unsupported_request_field, ...).
TranslatedRequest translate_messages_request(std::string_view body);

// POST /v1/messages/count_tokens: an estimate of the prompt's tokens (a token per 4 bytes of the
// translated request's text, at least 1). Throws like translate_messages_request.
uint64_t estimate_input_tokens(std::string_view body);

}  // namespace vep::host
