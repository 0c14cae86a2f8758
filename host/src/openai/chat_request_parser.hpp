// Parsing and validation of a POST /v1/chat/completions body.
//
// Owns: seed-behaviour §7 — allowed keys, check order, every error code and message — with this
// project's compatibility relaxations (issue 5): harmless fields stock OpenAI SDKs send are
// accepted and ignored (`user`, `n: 1`, `seed`, zero `presence_penalty`/`frequency_penalty`,
// `logprobs: false`, `response_format: {"type":"text"}`, message `name`, function `strict`), and
// those that cannot be honoured are refused with a clear 400. Called by the parse stage of the
// handler chain; its result feeds sessions, tools, encryption and build_upstream_body().
#pragma once

#include <string_view>

#include "openai/chat_request.hpp"

namespace vep::host {

// Parses `body` (raw request bytes). Throws ProxyError: invalid_json (syntax error, with line and
// column; or a duplicate object key, which serde would silently resolve to the last value),
// invalid_request "invalid request: request body must be a JSON object", and the §7/§10 codes.
ParsedChatRequest parse_chat_request(std::string_view body);

// Same checks on an already parsed body (the session stage reads the same document).
ParsedChatRequest parse_chat_request(const json::Value &body);

}  // namespace vep::host
