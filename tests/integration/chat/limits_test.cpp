// Bounds under abuse, against venice-sim with small limits: an oversized body is 413; above the
// stream limit a request gets a quick 503 server_overloaded while the open streams finish intact,
// and the proxy recovers; the session table never exceeds session.max_sessions and expired
// sessions are swept instead of evicting live ones; an idle upstream ends the stream with an
// error event and no [DONE]; a client that stops reading is closed by the send timeout and the
// upstream request is aborted; a client that leaves while the upstream is silent is noticed within
// a second. (A disconnect while chunks flow is covered by disconnect_test.cpp.)
#include <gtest/gtest.h>

#include <sys/socket.h>

#include <atomic>
#include <chrono>
#include <optional>
#include <thread>
#include <vector>

#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>

#include "proxy_harness.hpp"
#include "runtime/generation.hpp"

using namespace vep::test;
using namespace std::chrono_literals;

TEST(Limits, BodyOverMaxBodyBytesIs413) {
    ProxyHarness h("", [](vep::host::Config &c) { c.server.max_body_bytes = 1024; });
    const auto r = h.post_chat(chat_body(kHermesModel, std::string(2000, 'x'), false));
    EXPECT_EQ(r.status, 413);
    EXPECT_EQ(r.header("X-Venice-Proxy-Error-Code"), "request_too_large");
    EXPECT_EQ(h.sim_requests("chat/completions"), 0u);
    const auto small = h.post_chat(chat_body(kHermesModel, std::string(100, 'x'), false));
    EXPECT_EQ(small.status, 200) << small.body;
}

TEST(Limits, AboveTheStreamLimitA503WhileOpenStreamsFinishIntactThenRecovery) {
    ProxyHarness h("", [](vep::host::Config &c) { c.server.max_concurrent_streams = 2; });
    // Each open stream lasts ~2 s; the refusal must come well before a slot frees.
    const std::string slow = chat_body(kHermesModel, "sim:scenario=long chunks=20 chunk_bytes=5 interval_ms=100", true);
    std::vector<HttpResult> results(2);
    std::vector<std::thread> streams;
    for (size_t i = 0; i < results.size(); ++i)
        streams.emplace_back([&, i] { results[i] = h.post_chat(slow); });
    ASSERT_TRUE(wait_until(3s, [&] { return h.gate().active() == 2; }));

    const auto started = std::chrono::steady_clock::now();
    const auto refused = h.post_chat(chat_body(kHermesModel, "one more", true));
    const auto refused_after = std::chrono::steady_clock::now() - started;
    EXPECT_EQ(refused.status, 503);
    EXPECT_EQ(refused.header("X-Venice-Proxy-Error-Code"), "server_overloaded");
    EXPECT_LT(refused_after, 1s);
    const auto envelope = refused.json();
    const auto *error = envelope.find("error");
    ASSERT_NE(error, nullptr);
    EXPECT_EQ(error->find("code")->as_string(), "server_overloaded");

    for (auto &t : streams) t.join();
    for (const auto &r : results) {
        EXPECT_EQ(r.status, 200);
        EXPECT_TRUE(r.body_complete);
        EXPECT_TRUE(ends_with_done(r)) << r.body;
        EXPECT_EQ(streamed_content(r), long_answer(20, 5));
    }
    ASSERT_TRUE(wait_until(2s, [&] { return h.gate().active() == 0; }));
    const auto recovered = h.post_chat(chat_body(kHermesModel, "after the burst", true));
    EXPECT_EQ(recovered.status, 200);
    EXPECT_TRUE(ends_with_done(recovered));
    EXPECT_EQ(streamed_content(recovered), "after the burst");
}

TEST(Limits, SessionTableStaysWithinMaxSessionsAndSweepsExpiredSessions) {
    ProxyHarness h("", [](vep::host::Config &c) {
        c.session.max_sessions = 3;
        c.session.idle_ttl = std::chrono::milliseconds(1500);
    });
    auto &sessions = h.generation().sessions();
    auto ask = [&](const std::string &id) {
        const auto r = h.post_chat(chat_body(kHermesModel, "hi", false), {{"X-Venice-Proxy-Session-Id", id}});
        EXPECT_EQ(r.status, 200) << r.body;
    };
    for (const char *id : {"a", "b", "c"}) ask(id);
    EXPECT_EQ(sessions.size(), 3u);
    EXPECT_EQ(h.sim_requests("tee/attestation"), 3u);

    ask("d");  // full, nothing expired: the least recently used ("a") is evicted
    EXPECT_EQ(sessions.size(), 3u);
    ask("b");  // still live: no new attestation
    EXPECT_EQ(h.sim_requests("tee/attestation"), 4u);
    ask("a");  // was evicted: attests again
    EXPECT_EQ(h.sim_requests("tee/attestation"), 5u);
    EXPECT_EQ(sessions.size(), 3u);

    std::this_thread::sleep_for(1600ms);  // every session is now idle longer than idle_ttl
    ask("e");
    EXPECT_EQ(sessions.size(), 1u);  // the expired ones were swept, not just one evicted
}

TEST(Limits, IdleUpstreamEndsTheStreamWithAnErrorEventAndNoDone) {
    ProxyHarness h("", [](vep::host::Config &c) { c.venice.request_timeout = std::chrono::milliseconds(600); });
    const auto started = std::chrono::steady_clock::now();
    const auto r = h.post_chat(
        chat_body(kHermesModel, "sim:scenario=long chunks=5 chunk_bytes=4 fault=stall fault_after=1 stall_ms=4000", true));
    const auto took = std::chrono::steady_clock::now() - started;
    EXPECT_EQ(r.status, 200);
    EXPECT_LT(took, 3s);
    const auto data = r.sse_data();
    ASSERT_GE(data.size(), 2u) << r.body;
    EXPECT_NE(data.back(), "[DONE]");
    const auto last = vep::json::parse(data.back());
    const auto *error = last.find("error");
    ASSERT_NE(error, nullptr) << data.back();
    EXPECT_EQ(error->find("code")->as_string(), "upstream_stream_error");
    EXPECT_EQ(streamed_content(r), long_answer(1, 4));
    const auto chat = h.wait_for_chat_record(2s, [](const auto &rec) { return rec.client_disconnected; });
    ASSERT_TRUE(chat.has_value());
    EXPECT_TRUE(chat->client_disconnected);
    EXPECT_FALSE(chat->completed);
}

TEST(Limits, ClientThatStopsReadingIsClosedBySendTimeoutAndUpstreamAborted) {
    ProxyHarness h("", [](vep::host::Config &c) { c.server.send_timeout = std::chrono::milliseconds(300); });
    Poco::Net::StreamSocket socket(Poco::Net::SocketAddress::IPv4);
    socket.setReceiveBufferSize(4096);  // before connect, so the window stays small
    socket.connect(Poco::Net::SocketAddress("127.0.0.1", h.port()));
    socket.setReceiveTimeout(Poco::Timespan(5, 0));
    const std::string received = ProxyHarness::send_raw_chat(
        socket, chat_body(kHermesModel, "sim:scenario=long chunks=2000 chunk_bytes=65536 interval_ms=1", true),
        "\r\n\r\n");
    ASSERT_EQ(received.rfind("HTTP/1.1 200", 0), 0u) << received;
    // Stop reading: the proxy's writes block, the send timeout fires, the upstream is aborted.
    const auto chat = h.wait_for_chat_record(4s, [](const auto &rec) { return rec.client_disconnected; });
    ASSERT_TRUE(chat.has_value());
    EXPECT_TRUE(chat->client_disconnected);
    EXPECT_FALSE(chat->completed);
    EXPECT_LT(chat->chunks_sent, 2000u);
    EXPECT_TRUE(wait_until(2s, [&] { return h.gate().active() == 0; }));
}

TEST(Limits, ClientDisconnectDuringAnUpstreamPauseAbortsTheUpstreamWithinOneSecond) {
    ProxyHarness h;
    Poco::Net::StreamSocket socket(Poco::Net::SocketAddress("127.0.0.1", h.port()));
    socket.setReceiveTimeout(Poco::Timespan(5, 0));
    const std::string received = ProxyHarness::send_raw_chat(
        socket,
        chat_body(kHermesModel, "sim:scenario=long chunks=5 chunk_bytes=4 fault=stall fault_after=1 stall_ms=4000", true),
        "data: ");
    ASSERT_FALSE(received.empty());
    std::this_thread::sleep_for(100ms);  // the upstream is now silent (stalled)
    socket.close();
    const auto closed_at = std::chrono::system_clock::now();
    const auto chat = h.wait_for_chat_record(3s, [](const auto &rec) { return rec.client_disconnected; });
    ASSERT_TRUE(chat.has_value());
    EXPECT_TRUE(chat->client_disconnected);
    ASSERT_TRUE(chat->disconnect_noticed_at_ms.has_value());
    const int64_t closed_ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(closed_at.time_since_epoch()).count();
    EXPECT_LT(*chat->disconnect_noticed_at_ms - closed_ms, 1000);
}
