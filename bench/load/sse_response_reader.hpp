// SseResponseReader: the client side of one HTTP/1.1 streaming response, fed with bytes as they
// arrive on a non-blocking socket: status line and headers, then a chunked, Content-Length or
// close-delimited body split into SSE events. Bounded: headers above 64 KiB, a chunk-size line
// above 1 KiB or one event above 4 MiB are errors. Used by StreamDriver, one per connection.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace vep::bench {

struct SseClientEvent {
    std::string name;  // "" for plain data events
    std::string data;  // data lines joined by \n
};

class SseResponseReader {
  public:
    // Consumes `bytes`; appends complete events to `events`. false (see error()) on a protocol error.
    bool feed(std::string_view bytes, std::vector<SseClientEvent> &events);
    // The connection closed: true when the body ended cleanly (close-delimited body, or a body
    // already complete).
    bool finish_at_close() const { return body_complete_ || (in_body_ && mode_ == Body::UntilClose); }

    bool headers_done() const { return in_body_; }
    // The body ended by its framing (chunked terminator or Content-Length): the connection can
    // carry the next request.
    bool body_complete() const { return body_complete_; }
    int status() const { return status_; }
    const std::string &error() const { return error_; }

  private:
    enum class Body { Chunked, Length, UntilClose };
    bool fail(std::string message);
    bool parse_headers();
    bool take_body(std::string_view bytes);
    void split_events(std::vector<SseClientEvent> &events);

    std::string head_;
    bool in_body_ = false;
    bool body_complete_ = false;
    int status_ = 0;
    Body mode_ = Body::UntilClose;
    size_t remaining_ = 0;       // Length: body bytes left; Chunked: bytes left in this chunk
    bool chunk_crlf_ = false;    // Chunked: expecting the CRLF after chunk data
    std::string size_line_;      // Chunked: the chunk-size line read so far
    std::string text_;           // decoded body not yet split into events
    std::string error_;
};

}  // namespace vep::bench
