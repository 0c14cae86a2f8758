// What bench_load sends and expects: the conversation (N messages, the last a user turn carrying
// the venice-sim pacing directive), the HTTP requests for the proxy and for venice-sim directly,
// the text venice-sim's `long` scenario streams, and the judge of a proxy answer (plaintext
// deltas checked against that text).
#pragma once

#include <functional>
#include <map>
#include <string>

#include "stream_driver.hpp"

namespace vep::bench {

struct ConversationShape {
    std::string model;
    int messages = 1;
    int chunks = 20;
    int chunk_bytes = 16;
    int interval_ms = 0;
};

// The chat body; every message content passes through `seal` (identity for the proxy, encryption
// to the model key for venice-sim). `direct` adds venice_parameters.enable_e2ee.
std::string chat_body(const ConversationShape &shape, const std::function<std::string(const std::string &)> &seal,
                      bool direct);

// A complete HTTP/1.1 POST (Connection: close, or keep-alive) with the given extra headers.
std::string http_post(const std::string &path, const std::string &body, const std::map<std::string, std::string> &headers,
                      bool keep_alive = false);

// The text of content chunk `index` of venice-sim's `long` scenario (sim/README.md).
std::string long_chunk_text(size_t index, int chunk_bytes);

// Judges proxy answers: content deltas must equal the `long` chunks in order; an error object or
// error event fails the stream.
EventJudge plain_judge(int chunk_bytes);

// Shared by both judges: classifies an event as [DONE], an error, or a chunk whose delta.content
// (possibly empty) is written to `content`.
EventVerdict classify_chat_event(const SseClientEvent &event, std::string &content, std::string &why);

}  // namespace vep::bench
