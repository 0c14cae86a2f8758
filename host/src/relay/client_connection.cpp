// See client_connection.hpp.
#include "relay/client_connection.hpp"

#include <sys/socket.h>

#include <cerrno>
#include <climits>

#include <Poco/Exception.h>
#include <Poco/Net/SecureStreamSocketImpl.h>

#include "net/close_quietly.hpp"

namespace vep::host {

ClientConnection::ClientConnection(Poco::Net::StreamSocket socket)
    : socket_(std::move(socket)), fd_(socket_.impl()->sockfd()) {
    if (dynamic_cast<Poco::Net::SecureStreamSocketImpl *>(socket_.impl()) != nullptr) {
        tls_.emplace(socket_);
        tls_->setBlocking(false);
    }
}

ssize_t ClientConnection::send(const char *data, size_t size) {
    if (!tls_) {
        for (;;) {
            const ssize_t n = ::send(fd_, data, size, MSG_DONTWAIT | MSG_NOSIGNAL);
            if (n >= 0) return n > 0 ? n : -1;
            if (errno == EINTR) continue;
            return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -1;
        }
    }
    try {
        const int n = tls_->sendBytes(data, static_cast<int>(std::min<size_t>(size, INT_MAX)));
        if (n > 0) return n;
        if (n == Poco::Net::SecureStreamSocket::ERR_SSL_WANT_WRITE ||
            n == Poco::Net::SecureStreamSocket::ERR_SSL_WANT_READ)
            return 0;
        return -1;
    } catch (const Poco::Exception &) {
        return -1;
    }
}

void ClientConnection::close() {
    try {
        socket_.shutdown();
    } catch (const Poco::Exception &) {
    }
    close_quietly(socket_);
}

Poco::Net::StreamSocket ClientConnection::release() {
    if (tls_) {
        tls_->setBlocking(true);
        tls_.reset();
    }
    return socket_;
}

}  // namespace vep::host
