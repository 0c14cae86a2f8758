// UpstreamReader: reads the socket of one upstream attempt without blocking, for the relay's
// event loop — plain TCP through recv(2) with MSG_DONTWAIT (the socket itself stays as the pool
// keeps it), TLS through Poco's SecureStreamSocket switched to non-blocking mode. Takes the socket over from an UpstreamAttempt; closing it aborts the attempt at Venice,
// giving it back to the pool keeps the connection for the next request.
// Owned by a RelayJob.
#pragma once

#include <cstddef>
#include <string>

#include <Poco/Net/StreamSocket.h>

#include "upstream/upstream_pool.hpp"

namespace vep::host {

class UpstreamReader {
  public:
    enum class Read {
        Data,        // bytes were appended
        WouldBlock,  // wait until the socket is readable
        WantWrite,   // TLS needs to write first: wait until the socket is writable
        End          // the peer closed the connection
    };

    // Takes the socket (plain or TLS); a TLS socket is put in non-blocking mode.
    UpstreamReader(Poco::Net::StreamSocket socket, bool tls);
    ~UpstreamReader() { close(); }
    UpstreamReader(const UpstreamReader &) = delete;
    UpstreamReader &operator=(const UpstreamReader &) = delete;

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
    // The response was read to its exact end: the connection goes to `pool` (blocking again) for
    // the next request instead of being closed.
    void give_back(UpstreamPool &pool);

  private:
    Poco::Net::StreamSocket socket_;
    bool tls_;
    int fd_;
    bool closed_ = false;
    bool drained_ = false;
};

}  // namespace vep::host
