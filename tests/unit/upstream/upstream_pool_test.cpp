// UpstreamPool::sweep: an idle connection that its peer closed, and one idle longer than the idle
// timeout, are closed and counted as dropped; a fresh open one stays for the next request. Real
// sockets on 127.0.0.1.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>
#include <vector>

#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>

#include "upstream/upstream_pool.hpp"

namespace vep::host {
namespace {

using namespace std::chrono_literals;

TEST(UpstreamPool, SweepClosesWhatThePeerClosedAndWhatExpired) {
    Poco::Net::ServerSocket listener(Poco::Net::SocketAddress("127.0.0.1", 0));
    std::vector<Poco::Net::StreamSocket> ours, theirs;
    for (int i = 0; i < 2; ++i) {
        ours.emplace_back(Poco::Net::SocketAddress("127.0.0.1", listener.address().port()));
        theirs.push_back(listener.acceptConnection());
    }
    UpstreamPool pool(8, Duration(300), nullptr);
    for (auto &socket : ours) pool.give_back(socket);
    EXPECT_EQ(pool.sweep(), 0u);
    EXPECT_EQ(pool.idle(), 2u);

    theirs[0].close();
    std::this_thread::sleep_for(50ms);
    EXPECT_EQ(pool.sweep(), 1u) << "the connection its peer closed";
    EXPECT_EQ(pool.idle(), 1u);

    std::this_thread::sleep_for(400ms);
    EXPECT_EQ(pool.sweep(), 1u) << "the connection idle past the timeout";
    EXPECT_EQ(pool.idle(), 0u);
    EXPECT_EQ(pool.counters().dropped.load(), 2u);
}

}  // namespace
}  // namespace vep::host
