// ResponseHead: the text of one HTTP/1.x response head that the proxy writes to a socket itself
// (the relay's ClientOutput), without Poco's HTTPResponse and its per-character stream writes.
// Fields keep the order they were first set in; setting a name again (ASCII case-insensitive)
// replaces its value in place, as Poco's MessageHeader::set does. The head always carries Date,
// and ends with the body framing and `Connection: Close` — or `Connection: Keep-Alive` (Poco's
// spelling) for a response after which the connection stays open. Names and values are views: what they
// point at must outlive append_to(). Built and written by one thread, once.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace vep::host {

class ResponseHead {
  public:
    // How the body after the head is delimited.
    enum class Framing { Chunked, Length, UntilClose };

    // `http10`: an HTTP/1.0 status line (and no chunked coding: ChunkedTransferEncoding is then
    // written as UntilClose).
    ResponseHead(int status, bool http10);
    ResponseHead(const ResponseHead &) = delete;
    ResponseHead &operator=(const ResponseHead &) = delete;

    void set(std::string_view name, std::string_view value);
    // The body framing written after the fields; `length` is used with Framing::Length only.
    void frame(Framing framing, size_t length = 0);
    // The connection stays open after this response (ignored for an HTTP/1.0 one, and for a body
    // that runs until the connection closes).
    void keep_alive() { keep_alive_ = true; }
    // Appends the whole head, blank line included, to `out`.
    void append_to(std::string &out) const;

  private:
    int status_;
    bool http10_;
    Framing framing_ = Framing::UntilClose;
    bool keep_alive_ = false;
    std::string length_;
    std::vector<std::pair<std::string_view, std::string_view>> fields_;
};

// The current time as an HTTP date (RFC 9110 IMF-fixdate, "Sun, 06 Nov 1994 08:49:37 GMT"),
// formatted once per second per thread.
std::string_view http_date_now();

}  // namespace vep::host
