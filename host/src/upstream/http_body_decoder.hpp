// HttpBodyDecoder: the framing of an upstream HTTP/1.1 response body read straight off the socket
// (by the relay for chat answers, by VeniceClient for fetched and error bodies) — chunked
// transfer coding (RFC 9112, section 7.1: hex size, extensions, trailers), a Content-Length, or
// bytes until the connection closes. Fed raw bytes split anywhere; appends the
// body bytes. Every line it buffers is bounded, so a peer cannot grow it. One per response body.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "upstream/upstream_attempt.hpp"

namespace vep::host {

class HttpBodyDecoder {
  public:
    using Framing = BodyFraming;

    HttpBodyDecoder(Framing framing, uint64_t content_length = 0);

    // Appends the body bytes contained in `raw` to `body`. Bytes after the end of the body are
    // ignored. Throws ProxyError upstream_malformed_response on bad chunk framing.
    void feed(std::string_view raw, std::string &body);
    // The body ended (last chunk and trailers, or Content-Length bytes).
    bool finished() const { return state_ == State::Done; }
    // The body ended exactly where the bytes fed so far end: the connection holds nothing of
    // this response any more and may carry the next request.
    bool ended_cleanly() const { return finished() && !overrun_ && framing_ != Framing::UntilClose; }

  private:
    enum class State { Size, Data, DataEnd, Trailer, Done };

    bool take_line(std::string_view raw, size_t &pos, std::string &line_out);
    void on_size_line(const std::string &line);

    Framing framing_;
    State state_;
    uint64_t remaining_ = 0;  // bytes left in the current chunk (or the Length body)
    std::string line_;        // the partial framing line being collected
    bool overrun_ = false;    // bytes arrived after the end of the body
};

}  // namespace vep::host
