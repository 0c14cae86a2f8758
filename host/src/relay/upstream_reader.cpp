// See upstream_connection.hpp.
#include "relay/upstream_reader.hpp"

#include <sys/socket.h>

#include <cerrno>
#include <cstring>

#include <Poco/Exception.h>
#include <Poco/Net/SecureStreamSocket.h>

#include "errors/proxy_error.hpp"
#include "net/close_quietly.hpp"

namespace vep::host {
namespace {

[[noreturn]] void read_failed(const std::string &why) {
    throw ProxyError::of("upstream_stream_error", "reading the Venice upstream stream failed: " + why);
}

}  // namespace

UpstreamReader::UpstreamReader(Poco::Net::StreamSocket socket, bool tls)
    : socket_(std::move(socket)), tls_(tls), fd_(socket_.impl()->sockfd()) {
    if (tls_) socket_.setBlocking(false);
}

UpstreamReader::Read UpstreamReader::read(std::string &out, size_t max) {
    if (closed_) return Read::End;
    char buf[16384];
    const size_t want = std::min(max, sizeof buf);
    if (!tls_) {
        for (;;) {
            const ssize_t n = ::recv(fd_, buf, want, MSG_DONTWAIT);
            if (n > 0) {
                out.append(buf, static_cast<size_t>(n));
                drained_ = static_cast<size_t>(n) < want;
                return Read::Data;
            }
            if (n == 0) return Read::End;
            if (errno == EINTR) continue;
            if (errno == EAGAIN || errno == EWOULDBLOCK) return Read::WouldBlock;
            read_failed(std::strerror(errno));
        }
    }
    try {
        Poco::Net::SecureStreamSocket secure(socket_);
        const int n = secure.receiveBytes(buf, static_cast<int>(want));
        if (n > 0) {
            out.append(buf, static_cast<size_t>(n));
            return Read::Data;
        }
        if (n == 0) return Read::End;
        if (n == Poco::Net::SecureStreamSocket::ERR_SSL_WANT_WRITE) return Read::WantWrite;
        return Read::WouldBlock;
    } catch (const Poco::Exception &e) {
        read_failed(e.displayText());
    }
}

void UpstreamReader::give_back(UpstreamPool &pool) {
    if (closed_) return;
    closed_ = true;
    if (tls_) {
        try {
            socket_.setBlocking(true);
        } catch (const Poco::Exception &) {
            socket_.close();
            return;
        }
    }
    pool.give_back(std::move(socket_));
}

void UpstreamReader::close() {
    if (closed_) return;
    closed_ = true;
    ::shutdown(fd_, SHUT_RDWR);
    close_quietly(socket_);
}

}  // namespace vep::host
