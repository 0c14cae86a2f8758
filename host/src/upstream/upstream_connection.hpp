// UpstreamConnection: the socket of one upstream chat attempt after its response head, detached
// from Poco's HTTP client so the relay's event loop can read it without blocking (plain TCP
// through recv(2), TLS through Poco's SecureStreamSocket in non-blocking mode). UpstreamAttempt is
// what VeniceClient::open_chat() hands over: the connection, the body bytes the HTTP client had
// already read past the head, and the body's framing. Owned by a RelayJob.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include <Poco/Net/StreamSocket.h>

#include "upstream/http_body_decoder.hpp"

namespace vep::host {

class UpstreamConnection {
  public:
    enum class Read {
        Data,        // bytes were appended
        WouldBlock,  // wait until the socket is readable
        WantWrite,   // TLS needs to write first: wait until the socket is writable
        End          // the peer closed the connection
    };

    // Takes the socket (plain or TLS) and puts it in non-blocking mode.
    UpstreamConnection(Poco::Net::StreamSocket socket, bool tls);
    ~UpstreamConnection() { close(); }
    UpstreamConnection(const UpstreamConnection &) = delete;
    UpstreamConnection &operator=(const UpstreamConnection &) = delete;

    int fd() const { return fd_; }
    // Appends at most `max` bytes to `out`. Throws ProxyError upstream_stream_error on a socket
    // or TLS error.
    Read read(std::string &out, size_t max);
    // After Data: the socket had no more bytes (a short plain read), so reading again now would
    // only say WouldBlock. Always false for TLS, which may hold decrypted bytes the socket does
    // not signal.
    bool drained() const { return drained_; }
    // Closes the connection at once (the upstream sees the request aborted). Idempotent.
    void close();

  private:
    Poco::Net::StreamSocket socket_;
    bool tls_;
    int fd_;
    bool closed_ = false;
    bool drained_ = false;
};

struct UpstreamAttempt {
    std::unique_ptr<UpstreamConnection> connection;
    std::string initial_bytes;  // raw body bytes (framing included) read together with the head
    HttpBodyDecoder::Framing framing = HttpBodyDecoder::Framing::UntilClose;
    uint64_t content_length = 0;
};

}  // namespace vep::host
