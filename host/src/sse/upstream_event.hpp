// Classification of one upstream SSE event of a Venice chat stream.
//
// Owns: the reference proxy's rules — error events, [DONE], JSON error objects, usage-only chunks and
// single-choice chunks with their validated index, finish_reason and (still encrypted) delta
// fields. The common content chunk is read in one pass without a JSON tree (choice_chunk_reader);
// any other event is parsed once with vep::json, strings moved out, nothing re-serialised. Used by
// the upstream decoder of every chat answer.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "errors/proxy_error.hpp"
#include "sse/sse_parser.hpp"
#include "vep/json.hpp"

namespace vep::host {

// Identity members copied from an upstream chunk when they have the right type.
struct UpstreamIdentity {
    std::optional<std::string> id;
    std::optional<std::string> object;
    std::optional<int64_t> created;  // integers fitting i64 only
    std::optional<std::string> model;

    bool operator==(const UpstreamIdentity &) const = default;
};

namespace upstream_event {

// `data: [DONE]` (trimmed).
struct Done {};

// `event: error`, or a JSON chunk with an `error` member. `message` is the event data, or the
// error member as compact JSON. Raise it with stream_error().
struct Error {
    std::string message;
};

// A chunk with an empty `choices` array; `usage` is its usage member (any JSON value).
struct UsageOnly {
    UpstreamIdentity identity;
    json::Value usage;
};

// A chunk with exactly one choice. Encrypted delta fields that are null or "" are nullopt.
struct Choice {
    UpstreamIdentity identity;
    uint64_t index = 0;
    std::optional<std::string> finish_reason;
    std::optional<std::string> content;
    std::optional<std::string> reasoning_content;
    // delta.tool_calls when a non-empty array (native tool calls; plaintext, TEE-only flow).
    std::optional<json::Value> tool_calls;

    bool operator==(const Choice &) const = default;
};

}  // namespace upstream_event

using UpstreamEvent =
    std::variant<upstream_event::Done, upstream_event::Error, upstream_event::UsageOnly, upstream_event::Choice>;

// Classifies `event`. Throws ProxyError upstream_malformed_response for invalid JSON, a missing
// `choices` array, more than one choice, a usage-less empty chunk, or an ill-typed choice field.
// A plain single-choice chunk is read by read_choice_chunk, the rest by classify_upstream_json.
UpstreamEvent classify_upstream_event(SseEvent &&event);

// The rules on a JSON tree: how the data of an event that is neither an `error` event nor [DONE]
// is classified (same errors as above). Exposed for the tests that hold read_choice_chunk to it.
UpstreamEvent classify_upstream_json(std::string_view data);

// The error to raise for an upstream Error event (upstream_stream_error, 502).
ProxyError stream_error(const upstream_event::Error &error);

}  // namespace vep::host
