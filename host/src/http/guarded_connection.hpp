// GuardedConnection and its factory: the request loop of one client connection on a worker
// thread (Poco's HTTP connection loop, held to the server's bounds). Before each request head it
// arms the ConnectionWatch's read deadline (the handlers disarm it once the body is read); a head
// Poco cannot parse — a malformed request line or header, a Content-Length that is not a number —
// is answered 400 invalid_request at once instead of dropping the connection silently; and when
// the connection ends it leaves the watch and gives its client's admission slot back. It tells the
// watch while it works on a request (from accept, then from each keep-alive request's first byte
// to the end of its answer), and once the server winds down its answers say Connection: close and
// the loop ends after the current request, so a draining server loses no request. A socket handed
// over to the relay is let go of at once (deadline, watch, admission slot), before it leaves.
// Created by GuardedConnectionFactory, which the ProxyServer hands to its ConnectionAcceptor.
#pragma once

#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/TCPServerConnection.h>
#include <Poco/Net/TCPServerConnectionFactory.h>

#include "http/client_admission.hpp"
#include "http/connection_watch.hpp"
#include "http/request_router.hpp"

namespace vep::host {

class GuardedConnection final : public Poco::Net::TCPServerConnection {
  public:
    GuardedConnection(const Poco::Net::StreamSocket &socket, Poco::Net::HTTPServerParams::Ptr params,
                      RequestRouter &router, ConnectionWatch &watch, ClientAdmission &admission);
    ~GuardedConnection() override;

    void run() override;

  private:
    // Tells the watch when the connection starts or stops working on a request.
    void set_working(bool working);
    // Gives up the socket's deadline, its place in the watch and its client's admission slot —
    // when the connection ends, or earlier, when the socket is handed over to the relay
    // (FramedSession::hand_over), so that nothing here touches it after it left. Once.
    void release();

    Poco::Net::HTTPServerParams::Ptr params_;
    RequestRouter &router_;
    ConnectionWatch &watch_;
    ClientAdmission &admission_;
    bool working_ = true;  // counted as working by ClientAdmission at accept
    bool released_ = false;  // release() ran: nothing more is done with the socket
    int fd_;
    const void *owner_;
    Poco::Net::IPAddress client_;
};

class GuardedConnectionFactory final : public Poco::Net::TCPServerConnectionFactory {
  public:
    GuardedConnectionFactory(Poco::Net::HTTPServerParams::Ptr params, RequestRouter &router,
                             ConnectionWatch &watch, ClientAdmission &admission)
        : params_(std::move(params)), router_(router), watch_(watch), admission_(admission) {}
    Poco::Net::TCPServerConnection *createConnection(const Poco::Net::StreamSocket &socket) override {
        return new GuardedConnection(socket, params_, router_, watch_, admission_);
    }

  private:
    Poco::Net::HTTPServerParams::Ptr params_;
    RequestRouter &router_;
    ConnectionWatch &watch_;
    ClientAdmission &admission_;
};

}  // namespace vep::host
