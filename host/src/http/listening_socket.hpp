// ListeningSocket: the proxy's plain-TCP listening socket, a Poco ServerSocket whose accepted
// connections (AcceptedSocketImpl) know their peer's address from accept(2) and cache their local
// one, and whose polls — the acceptor's wait for a connection and the wait for a request — are one
// poll(2) each. Poco 1.11 answers each of those with a getpeername/getsockname call per use and an
// epoll instance per poll (epoll_create, epoll_ctl, epoll_wait, close): about ten system calls per
// chat request that this saves. Created by ProxyServer for a listener without TLS, and by the
// AdminServer.
#pragma once

#include <mutex>

#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/ServerSocketImpl.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocketImpl.h>

namespace vep::host {

// poll(2) on one descriptor with Poco's SELECT_* modes: true when it is ready (or failed) within
// `timeout`; retries after a signal with the time left. Throws Poco::Net::NetException on failure.
bool poll_one(int fd, const Poco::Timespan &timeout, int mode);

// One accepted connection.
class AcceptedSocketImpl final : public Poco::Net::StreamSocketImpl {
  public:
    AcceptedSocketImpl(poco_socket_t fd, const Poco::Net::SocketAddress &peer);
    Poco::Net::SocketAddress peerAddress() override { return peer_; }
    Poco::Net::SocketAddress address() override;
    bool poll(const Poco::Timespan &timeout, int mode) override;

  private:
    Poco::Net::SocketAddress peer_;
    std::once_flag local_once_;
    Poco::Net::SocketAddress local_;
};

class ListeningSocketImpl final : public Poco::Net::ServerSocketImpl {
  public:
    Poco::Net::SocketImpl *acceptConnection(Poco::Net::SocketAddress &client) override;
    bool poll(const Poco::Timespan &timeout, int mode) override;
};

class ListeningSocket final : public Poco::Net::ServerSocket {
  public:
    ListeningSocket() : Poco::Net::ServerSocket(new ListeningSocketImpl, true) {}
};

}  // namespace vep::host
