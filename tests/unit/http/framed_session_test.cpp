// FramedSession: handing the socket over runs the connection's let-go step once, while the session
// still holds the socket, and returns that same socket; the session has none afterwards.
#include <gtest/gtest.h>

#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>

#include "http/framed_session.hpp"

namespace vep::host {
namespace {

TEST(FramedSession, HandOverLetsGoFirstAndOnce) {
    Poco::Net::ServerSocket listener(Poco::Net::SocketAddress("127.0.0.1", 0));
    Poco::Net::StreamSocket client(Poco::Net::SocketAddress("127.0.0.1", listener.address().port()));
    const Poco::Net::StreamSocket accepted = listener.acceptConnection();

    int let_go = 0;
    bool held_while_letting_go = false;
    FramedSession *session_ptr = nullptr;
    FramedSession session(accepted, new Poco::Net::HTTPServerParams, [&] {
        ++let_go;
        held_while_letting_go = session_ptr->connected();
    });
    session_ptr = &session;
    EXPECT_EQ(session.unread(), 0);

    const Poco::Net::StreamSocket handed = session.hand_over();
    EXPECT_EQ(let_go, 1);
    EXPECT_TRUE(held_while_letting_go) << "the connection must let go before the socket leaves";
    EXPECT_EQ(handed.impl(), accepted.impl());
    EXPECT_FALSE(session.connected());

    session.hand_over();
    EXPECT_EQ(let_go, 1) << "let go once";
}

}  // namespace
}  // namespace vep::host
