// A client that disconnects mid-stream: the proxy notices, aborts the upstream request (venice-sim
// records the cut connection) within a second, and frees its request slot.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>

#include "proxy_harness.hpp"
#include "runtime/generation.hpp"

using namespace vep::test;
using namespace std::chrono_literals;

namespace {

int64_t unix_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

}  // namespace

TEST(ClientDisconnect, AbortsTheUpstreamRequestWithinOneSecond) {
    ProxyHarness h;
    Poco::Net::StreamSocket socket(Poco::Net::SocketAddress("127.0.0.1", h.port()));
    socket.setReceiveTimeout(Poco::Timespan(10, 0));
    const std::string received = ProxyHarness::send_raw_chat(
        socket, chat_body(kHermesModel, "sim:scenario=long chunks=100 chunk_bytes=4 interval_ms=200", true), "data: ");
    ASSERT_FALSE(received.empty());
    socket.close();
    const int64_t closed_at = unix_ms();

    const auto chat = h.wait_for_chat_record(std::chrono::seconds(3), [](const auto &rec) { return rec.client_disconnected; });
    ASSERT_TRUE(chat.has_value());
    EXPECT_TRUE(chat->client_disconnected);
    EXPECT_FALSE(chat->completed);
    ASSERT_TRUE(chat->disconnect_noticed_at_ms.has_value());
    EXPECT_LT(*chat->disconnect_noticed_at_ms - closed_at, 1000);
    for (int i = 0; i < 40 && h.gate().active() > 0; ++i) std::this_thread::sleep_for(50ms);
    EXPECT_EQ(h.gate().active(), 0u);
}
