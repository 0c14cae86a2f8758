// JSON the proxy sends back to an OpenAI client for a chat completion.
//
// Owns: the byte layout of streaming chunks, usage-only chunks and the buffered completion body.
// The reference builds these dynamically with serde_json, so every
// object's keys come out byte-wise sorted and compact; the builders write that layout directly
// (no intermediate JSON tree on the per-chunk path). Called by the response transformers.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "vep/json.hpp"

namespace vep::host {

// id / object / created / model of an emitted chunk or completion: the upstream chunk's values
// when present, else the transformer's fallbacks (chatcmpl-local-<uuid>, creation time, model).
struct ResponseIdentity {
    std::string_view id;
    std::string_view object = "chat.completion.chunk";
    int64_t created = 0;
    std::string_view model;
};

// One validated tool call as returned to the client.
struct OutgoingToolCall {
    std::string id;         // call_<32 hex>
    std::string name;
    std::string arguments;  // canonical compact JSON text
};

// A tool call inside a streaming delta, with its position among the answer's calls.
struct IndexedToolCall {
    uint64_t index = 0;
    const OutgoingToolCall *call = nullptr;
};

// The `delta` of one streaming chunk; an all-empty delta serialises as {}.
struct ChunkDelta {
    bool role = false;  // adds "role":"assistant" (first emitted delta only)
    std::optional<std::string_view> reasoning_content;
    std::optional<std::string_view> content;
    std::vector<IndexedToolCall> tool_calls;
    // Native tool-call deltas passed through as Venice sent them (tee-only answers); used only
    // when `tool_calls` is empty.
    const json::Value *native_tool_calls = nullptr;
};

// {"choices":[{"delta":{...},"finish_reason":<string|null>,"index":N}],"created":..,"id":..,
//  "model":..,"object":..}
std::string build_stream_chunk(const ResponseIdentity &identity, uint64_t choice_index, const ChunkDelta &delta,
                               std::optional<std::string_view> finish_reason);

// {"choices":[],"created":..,"id":..,"model":..,"object":..,"usage":<usage, keys sorted>}
std::string build_usage_chunk(const ResponseIdentity &identity, const json::Value &usage);

// Everything a buffered (non-streaming) answer carries.
struct BufferedCompletion {
    ResponseIdentity identity;  // identity.object is ignored: always "chat.completion"
    uint64_t choice_index = 0;
    std::optional<std::string_view> content;  // nullopt => null (tool-call answers)
    std::string_view reasoning_content;       // omitted when empty
    std::vector<OutgoingToolCall> tool_calls; // omitted when empty
    std::string_view finish_reason = "stop";
    const json::Value *usage = nullptr;       // nullptr => null
};

// {"choices":[{"finish_reason":..,"index":..,"message":{"content":..,["reasoning_content":..,]
//  "role":"assistant"[,"tool_calls":[{"function":{"arguments","name"},"id","type":"function"}]]}}],
//  "created":..,"id":..,"model":..,"object":"chat.completion","usage":..}
std::string build_completion_body(const BufferedCompletion &completion);

}  // namespace vep::host
