// ClientStream: the SSE response towards the client of one streaming chat request. Owns the
// response start (200, text/event-stream, no-cache, metadata headers), one flushed chunk per event
// (`data: <json>\n\n`), the final `data: [DONE]`, the OpenAI-style error event that ends a failed
// stream (no [DONE] after it), and client liveness: a write that fails or a socket the peer closed
// marks the client gone. Used by the chat responder.
#pragma once

#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/StreamSocket.h>

#include "errors/proxy_error.hpp"

namespace vep::host {

class ClientStream {
  public:
    ClientStream(Poco::Net::HTTPServerResponse &response, Poco::Net::StreamSocket &socket)
        : response_(response), socket_(socket) {}

    // Sends the status line and headers.
    void start(const std::vector<std::pair<std::string, std::string>> &headers);
    bool started() const { return out_ != nullptr; }
    // false when the client is gone.
    bool write_event(const std::string &data);
    bool write_done();
    void write_error(const ProxyError &error);
    // Whether the peer is still connected (no write needed).
    bool alive();

  private:
    bool flush();
    Poco::Net::HTTPServerResponse &response_;
    Poco::Net::StreamSocket &socket_;
    std::ostream *out_ = nullptr;
    bool gone_ = false;
};

// Whether the peer of `socket` has closed its side (readable with nothing to read, or an error).
bool peer_closed(Poco::Net::StreamSocket &socket);

}  // namespace vep::host
