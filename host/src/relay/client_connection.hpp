// ClientConnection: the client's socket once the relay owns it — plain TCP or TLS (the listener's
// handshake is done by then). Writes without blocking: one `send` for plain TCP, one TLS record
// write (partial writes allowed, retried from wherever the buffer moved) for TLS. Closes with a
// TLS close_notify when it is TLS, or hands the socket back as it was (blocking) for the
// connection's next request. Owned by the RelayJob; used on its loop thread only.
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <optional>

#include <Poco/Net/SecureStreamSocket.h>
#include <Poco/Net/StreamSocket.h>

namespace vep::host {

class ClientConnection {
  public:
    explicit ClientConnection(Poco::Net::StreamSocket socket);

    // Bytes written (> 0), 0 when the socket cannot take more now, or -1 when the client is gone.
    ssize_t send(const char *data, size_t size);
    void close();
    // The socket, blocking again, for the HTTP server; nothing may be done with this object after.
    Poco::Net::StreamSocket release();
    int fd() const { return fd_; }

  private:
    Poco::Net::StreamSocket socket_;
    std::optional<Poco::Net::SecureStreamSocket> tls_;
    int fd_;
};

}  // namespace vep::host
