// ClientOutput: the response bytes for the client of one relayed chat request, queued until the
// RelayJob writes them to the socket. Owns the HTTP framing of every answer shape: the SSE
// response head (200, text/event-stream, no-cache, metadata headers, Connection: close — or
// keep-alive when the connection may carry another request), one
// event per `data: <json>\n\n` (an HTTP chunk each for an HTTP/1.1 client; raw bytes ended by the
// connection closing for an HTTP/1.0 client, which cannot read chunked coding), `data: [DONE]`,
// named events (`event:` and `data:`) for the other client APIs,
// the OpenAI-style error event that ends a failed stream (no [DONE] after it; another API's own
// form when the answer sets an ErrorForm), the terminating
// chunk, or a whole JSON response (buffered body or error with X-Venice-Proxy-Error-Code and the
// request id). Also records that the client is gone, after which nothing more is queued. Owned
// by the RelayJob; the pipeline's answer writes into it.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "errors/proxy_error.hpp"

namespace vep::host {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

// How an answer of another client API (Responses, Messages) writes its errors; set by the
// pipeline. Without one, ClientOutput writes OpenAI's error JSON.
class ErrorForm {
  public:
    virtual ~ErrorForm() = default;
    // The JSON body of a whole error response.
    virtual std::string body(const ProxyError &error) const = 0;
    // The SSE text (complete events) that ends a started stream.
    virtual std::string stream_end(const ProxyError &error) = 0;
};

class ClientOutput {
  public:
    // The client's HTTP version decides the framing.
    enum class Framing { Http11, Http10 };

    // `keep_alive`: the heads say the connection stays open (HTTP/1.1 only).
    explicit ClientOutput(Framing framing = Framing::Http11, bool keep_alive = false)
        : framing_(framing), keep_alive_(keep_alive && framing == Framing::Http11) {}

    // Errors are written in this form (it must outlive the output); null: OpenAI's.
    void set_error_form(ErrorForm *form) { error_form_ = form; }
    // Echoed as X-Request-Id on a whole error response.
    void set_request_id(std::string id) { request_id_ = std::move(id); }
    // Every answer carries CORS headers for this web page origin.
    void set_cors_origin(std::string origin) { cors_origin_ = std::move(origin); }
    // Starts the SSE response.
    void start_stream(const HeaderList &headers);
    bool started() const { return started_; }
    // Each returns false (and queues nothing) when the client is gone.
    bool event(std::string_view json);
    // A named event: `event: <name>` and `data: <json>`.
    bool event(std::string_view name, std::string_view json);
    bool done();
    // An SSE comment line (clients ignore it): a started stream's way to find out whether a
    // client that half-closed is still reading. False when there is no stream to write it to.
    bool comment();
    // The error event that ends a started stream.
    void error_event(const ProxyError &error);
    // A whole response: `status` with a JSON body and `headers`.
    void whole(int status, const HeaderList &headers, std::string_view body);
    // A whole JSON error response (status, X-Venice-Proxy-Error-Code, X-Request-Id when known).
    void error_response(const ProxyError &error);
    // Ends a started stream (the terminating chunk); nothing for a whole response.
    void end();

    // Bytes not yet written, from write_offset().
    const std::string &pending() const { return buffer_; }
    size_t unwritten() const { return buffer_.size() - written_; }
    size_t write_offset() const { return written_; }
    // `n` more bytes were written to the socket.
    void consumed(size_t n);

    bool gone() const { return gone_; }
    void mark_gone() { gone_ = true; }
    // The response promised keep-alive and is complete and written: the connection may carry the
    // client's next request.
    bool reusable() const { return keep_alive_ && started_ && ended_ && !gone_ && unwritten() == 0; }

  private:
    // The response head; content_length < 0: chunked (HTTP/1.1) or until close (HTTP/1.0).
    void head(int status, const HeaderList &headers, std::string_view content_type, std::ptrdiff_t content_length,
              std::string_view cache_control = {});
    void chunk(std::string_view a, std::string_view b, std::string_view c);

    Framing framing_;
    bool keep_alive_;
    std::string request_id_;
    std::string cors_origin_;
    ErrorForm *error_form_ = nullptr;
    std::string buffer_;
    size_t written_ = 0;
    bool started_ = false;
    bool ended_ = false;
    bool gone_ = false;
};

}  // namespace vep::host
