// Parsing and validation of a POST /v1/chat/completions body.
//
// Owns: the reference proxy's request rules — allowed keys, check order, every error code and
// message — with this project's compatibility relaxations: harmless fields stock OpenAI SDKs send are
// accepted and ignored (`user`, `n: 1`, `seed`, zero `presence_penalty`/`frequency_penalty`,
// `logprobs: false`, `response_format: {"type":"text"}`, message `name`, function `strict`),
// `response_format` json_object / json_schema is parsed into a StructuredOutput (emulated later), and
// those that cannot be honoured are refused with a clear 400. Called by the parse stage of the
// handler chain; its result feeds sessions, tools, encryption and build_upstream_body(). Refuses
// what is implausible before it can reach a log line or Venice: a model id that is not an id,
// sampling numbers that are not finite or run to many digits.
#pragma once

#include <string_view>

#include "openai/chat_request.hpp"

namespace vep::host {

// Parses `body` (raw request bytes). Throws ProxyError: invalid_json (syntax error, with line and
// column; or a duplicate object key, which serde would silently resolve to the last value),
// invalid_request "invalid request: request body must be a JSON object", and the request codes
// of the error catalog.
ParsedChatRequest parse_chat_request(std::string_view body);

// Same checks on an already parsed body.
ParsedChatRequest parse_chat_request(const json::Value &body);

// The longest model id accepted.
inline constexpr size_t kMaxModelIdBytes = 256;

// A model id: 1..kMaxModelIdBytes letters, digits or . _ : / @ + -
bool plausible_model_id(std::string_view id);

}  // namespace vep::host
