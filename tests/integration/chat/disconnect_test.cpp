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
    const std::string body = chat_body(kHermesModel, "sim:scenario=long chunks=100 chunk_bytes=4 interval_ms=200", true);
    const std::string request = "POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                                "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
    socket.sendBytes(request.data(), static_cast<int>(request.size()));
    std::string received;
    char buf[4096];
    while (received.find("data: ") == std::string::npos) {
        const int n = socket.receiveBytes(buf, sizeof buf);
        ASSERT_GT(n, 0) << received;
        received.append(buf, static_cast<size_t>(n));
    }
    socket.close();
    const int64_t closed_at = unix_ms();

    std::optional<vep::sim::RequestRecord> chat;
    for (int i = 0; i < 60 && !(chat && chat->client_disconnected); ++i) {
        std::this_thread::sleep_for(50ms);
        for (const auto &rec : h.sim().requests())
            if (rec.path.find("chat/completions") != std::string::npos) chat = rec;
    }
    ASSERT_TRUE(chat.has_value());
    EXPECT_TRUE(chat->client_disconnected);
    EXPECT_FALSE(chat->completed);
    ASSERT_TRUE(chat->disconnect_noticed_at_ms.has_value());
    EXPECT_LT(*chat->disconnect_noticed_at_ms - closed_at, 1000);
    for (int i = 0; i < 40 && h.state().gate->active() > 0; ++i) std::this_thread::sleep_for(50ms);
    EXPECT_EQ(h.state().gate->active(), 0u);
}
