// Incremental parser for Venice's text/event-stream response body.
//
// Owns: the reference proxy's rules — event boundaries (\r\n\r\n, \n\n or \r\r, whichever comes first),
// field lines, comments/heartbeats, `event` and multi-line `data` — fed with network chunks split
// anywhere (inside CRLF, inside multi-byte UTF-8). UTF-8 is validated per complete event, not per
// chunk (a reference-proxy bug fixed). The buffer is bounded: an event larger than max_event_bytes is an
// error. Used by the pipeline for every chat answer (streaming and buffered).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "errors/proxy_error.hpp"

namespace vep::host {

// One upstream SSE event: its `event` name (absent => "message") and its data lines joined by \n.
struct SseEvent {
    std::optional<std::string> event;
    std::string data;
};

class SseParser {
  public:
    static constexpr size_t kDefaultMaxEventBytes = 1024 * 1024;

    explicit SseParser(size_t max_event_bytes = kDefaultMaxEventBytes) : max_event_bytes_(max_event_bytes) {}

    // Appends raw bytes from the network. Drain next() until it returns nullopt before feeding
    // again: the buffer then only ever holds one partial event plus one chunk.
    void feed(std::string_view bytes);

    // The next complete event, or nullopt when more bytes are needed. Comment-only events are
    // skipped. Throws ProxyError upstream_malformed_response for an unsupported field, an event
    // without data, invalid UTF-8, or an event (complete or still partial) over the size bound.
    std::optional<SseEvent> next();

    // The upstream body ended before a [DONE] event: always throws ProxyError
    // upstream_malformed_response ("...ended with an incomplete SSE event" when non-whitespace
    // bytes are still buffered, else "...ended before data: [DONE]").
    [[noreturn]] void fail_at_end_of_stream() const;

    // Bytes received but not yet consumed as events.
    size_t buffered_bytes() const { return buffer_.size() - head_; }

  private:
    // Finds the earliest event delimiter at or after scan_; false when more bytes are needed.
    bool find_boundary(size_t &start, size_t &length);
    void compact();

    size_t max_event_bytes_;
    std::string buffer_;
    size_t head_ = 0;  // start of the unconsumed event
    size_t scan_ = 0;  // first position not yet ruled out as a delimiter start
};

// The upstream_malformed_response error for a bad upstream stream ("Venice upstream stream event is
// malformed: <detail>"), shared with the event classifier.
ProxyError malformed_upstream_stream(const std::string &detail);

// Parses one raw event (without its delimiter) into an SseEvent; nullopt for comment-only events.
// Throws ProxyError upstream_malformed_response. Exposed for the parser's unit tests.
std::optional<SseEvent> parse_sse_event(std::string_view raw);

}  // namespace vep::host
