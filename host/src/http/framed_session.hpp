// FramedSession: Poco's server session of one connection, able to say how many bytes it holds
// unread, and to hand its socket over for good. Poco's chunked body stream ends quietly at a
// malformed chunk-size line; the bytes it left behind are how read_body() tells such a body from
// one that ended with its last chunk. Handing over (a chat request's socket going to the relay)
// first lets the connection's own bookkeeping go of the socket, so that the socket can come back
// as a new connection (kept alive) without the old one's late steps touching it. Created by
// GuardedConnection for its request loop.
#pragma once

#include <functional>
#include <utility>

#include <Poco/Net/HTTPServerSession.h>

namespace vep::host {

class FramedSession final : public Poco::Net::HTTPServerSession {
  public:
    // `let_go` runs once, when the socket is handed over, before it leaves the session.
    FramedSession(const Poco::Net::StreamSocket &socket, Poco::Net::HTTPServerParams::Ptr params,
                  std::function<void()> let_go)
        : Poco::Net::HTTPServerSession(socket, std::move(params)), let_go_(std::move(let_go)) {}
    // Bytes read from the socket but not yet consumed.
    int unread() const { return buffered(); }
    // The socket, taken away from this session and its connection.
    Poco::Net::StreamSocket hand_over() {
        if (let_go_) std::exchange(let_go_, nullptr)();
        return detachSocket();
    }

  private:
    std::function<void()> let_go_;
};

}  // namespace vep::host
