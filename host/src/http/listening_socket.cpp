// See listening_socket.hpp.
#include "http/listening_socket.hpp"

#include <poll.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <chrono>

#include <Poco/Net/NetException.h>
#include <Poco/Net/Socket.h>

namespace vep::host {

bool poll_one(int fd, const Poco::Timespan &timeout, int mode) {
    pollfd entry{fd, 0, 0};
    if (mode & Poco::Net::Socket::SELECT_READ) entry.events |= POLLIN;
    if (mode & Poco::Net::Socket::SELECT_WRITE) entry.events |= POLLOUT;
    using Clock = std::chrono::steady_clock;
    const auto deadline = Clock::now() + std::chrono::microseconds(timeout.totalMicroseconds());
    for (;;) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
        const int rc = ::poll(&entry, 1, static_cast<int>(std::max<int64_t>(0, left)));
        if (rc >= 0) return rc > 0;
        if (errno != EINTR) throw Poco::Net::NetException("poll failed", errno);
    }
}

AcceptedSocketImpl::AcceptedSocketImpl(poco_socket_t fd, const Poco::Net::SocketAddress &peer)
    : Poco::Net::StreamSocketImpl(fd), peer_(peer) {}

Poco::Net::SocketAddress AcceptedSocketImpl::address() {
    std::call_once(local_once_, [this] { local_ = Poco::Net::StreamSocketImpl::address(); });
    return local_;
}

bool AcceptedSocketImpl::poll(const Poco::Timespan &timeout, int mode) { return poll_one(sockfd(), timeout, mode); }

Poco::Net::SocketImpl *ListeningSocketImpl::acceptConnection(Poco::Net::SocketAddress &client) {
    sockaddr_storage peer{};
    for (;;) {
        socklen_t length = sizeof peer;
        const int fd = ::accept4(sockfd(), reinterpret_cast<sockaddr *>(&peer), &length, SOCK_CLOEXEC);
        if (fd >= 0) {
            client = Poco::Net::SocketAddress(reinterpret_cast<const sockaddr *>(&peer), length);
            return new AcceptedSocketImpl(fd, client);
        }
        if (errno != EINTR) error();
    }
}

bool ListeningSocketImpl::poll(const Poco::Timespan &timeout, int mode) { return poll_one(sockfd(), timeout, mode); }

}  // namespace vep::host
