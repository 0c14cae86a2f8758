// ConnectionWatch: its thread sleeps until something is due — an idle watch does not wake, a
// request read deadline armed while it sleeps is enforced on time, a lingering close happens after
// its moment. Every wait is bounded, with room for a loaded machine.
#include <gtest/gtest.h>

#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <future>
#include <set>
#include <string>
#include <thread>

#include <Poco/Net/StreamSocketImpl.h>

#include "http/connection_watch.hpp"
#include "thread_activity.hpp"

namespace vep::host {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

struct SocketPair {
    int fd[2];
    SocketPair() { EXPECT_EQ(::socketpair(AF_UNIX, SOCK_STREAM, 0, fd), 0); }
    ~SocketPair() {
        for (const int f : fd)
            if (f >= 0) ::close(f);
    }
};

TEST(ConnectionWatch, AnIdleWatchDoesNotWake) {
    const std::set<long> before = test::thread_ids();
    ConnectionWatch watch(10s);
    std::set<long> added;
    for (const long id : test::thread_ids())
        if (!before.count(id)) added.insert(id);
    ASSERT_EQ(added.size(), 1u);
    const long tid = *added.begin();
    std::this_thread::sleep_for(50ms);
    const long switches = test::voluntary_switches(tid);
    ASSERT_GE(switches, 0);
    std::this_thread::sleep_for(600ms);
    // A 100 ms tick would have woken it about 6 times; asleep until housekeeping, not at all.
    EXPECT_LE(test::voluntary_switches(tid) - switches, 1);
}

TEST(ConnectionWatch, ADeadlineArmedWhileItSleepsIsEnforcedOnTime) {
    ConnectionWatch watch(10s);
    std::this_thread::sleep_for(50ms);  // the watch is asleep until its housekeeping, 5 s away
    SocketPair sockets;
    const int owner = 0;
    const auto armed = Clock::now();
    watch.arm(sockets.fd[0], &owner, armed + 150ms);
    auto reader = std::async(std::launch::async, [&] {
        char byte = 0;
        return ::recv(sockets.fd[0], &byte, 1, 0);  // returns 0 once the watch shuts the read side
    });
    // Slept through, it would be cut at the housekeeping, 5 s after the watch started.
    const auto status = reader.wait_for(4s);
    if (status != std::future_status::ready) ::shutdown(sockets.fd[0], SHUT_RD);  // unblock the reader
    ASSERT_EQ(status, std::future_status::ready);
    EXPECT_EQ(reader.get(), 0);
    const auto waited = Clock::now() - armed;
    EXPECT_GE(waited, 140ms);
    EXPECT_LT(waited, 3s);
    EXPECT_TRUE(watch.expired(sockets.fd[0], &owner));
    watch.disarm(sockets.fd[0], &owner);
    EXPECT_FALSE(watch.expired(sockets.fd[0], &owner));
}

TEST(ConnectionWatch, ADisarmedDeadlineDoesNotFire) {
    ConnectionWatch watch(10s);
    SocketPair sockets;
    const int owner = 0;
    watch.arm(sockets.fd[0], &owner, Clock::now() + 100ms);
    watch.disarm(sockets.fd[0], &owner);
    std::this_thread::sleep_for(300ms);
    ASSERT_EQ(::send(sockets.fd[1], "x", 1, 0), 1);
    char byte = 0;
    EXPECT_EQ(::recv(sockets.fd[0], &byte, 1, MSG_DONTWAIT), 1);  // the read side is still open
}

TEST(ConnectionWatch, ALingeringSocketIsClosedAfterItsMoment) {
    ConnectionWatch watch(10s);
    SocketPair sockets;
    const int lingering_fd = sockets.fd[0];
    sockets.fd[0] = -1;  // the watch closes it
    const auto handed = Clock::now();
    watch.linger_close(Poco::Net::StreamSocket(new Poco::Net::StreamSocketImpl(lingering_fd)));
    EXPECT_EQ(watch.lingering(), 1u);
    const auto deadline = handed + 4s;
    while (watch.lingering() > 0 && Clock::now() < deadline) std::this_thread::sleep_for(10ms);
    EXPECT_EQ(watch.lingering(), 0u);
    EXPECT_GE(Clock::now() - handed, 450ms);
    char byte = 0;
    EXPECT_EQ(::recv(sockets.fd[1], &byte, 1, 0), 0);  // the peer sees the close
}

}  // namespace
}  // namespace vep::host
