// The relay (RelayPump + RelayJob) end to end: open streams share the relay threads instead of
// holding a worker thread each (a proxy with two workers serves twelve streams at once and still
// answers /healthz); the answer arrives intact over a TLS upstream (venice-sim with a test CA),
// streamed, buffered and with a tool-call retry; an upstream whose certificate is not trusted is
// refused; a client that pauses long enough for the relay to stop reading the upstream
// (backpressure) gets the whole answer once it reads again; and a drain cut ends an open stream
// with a server_draining error event.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

#include <sys/socket.h>

#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>

#include "proxy_harness.hpp"
#include "runtime/generation.hpp"
#include "upstream/http_body_decoder.hpp"

using namespace vep::test;
using namespace std::chrono_literals;

namespace {

const std::string kTlsDir = std::string(VEP_SOURCE_DIR) + "/tests/data/tls/";

void serve_tls(vep::sim::SimOptions &o) {
    o.tls_cert_file = kTlsDir + "server.pem";
    o.tls_key_file = kTlsDir + "server.key";
}

}  // namespace

TEST(Relay, OpenStreamsDoNotHoldWorkerThreads) {
    ProxyHarness h("", [](vep::host::Config &c) {
        c.server.max_threads = 2;
        c.server.relay_threads = 1;
    });
    constexpr size_t kStreams = 12;
    const std::string slow = chat_body(kHermesModel, "sim:scenario=long chunks=20 chunk_bytes=5 interval_ms=100", true);
    std::vector<HttpResult> results(kStreams);
    std::vector<std::thread> clients;
    for (size_t i = 0; i < kStreams; ++i) clients.emplace_back([&, i] { results[i] = h.post_chat(slow); });
    // Thread per stream would cap this at two.
    EXPECT_TRUE(wait_until(5s, [&] { return h.gate().active() == kStreams; })) << h.gate().active();
    const auto health = h.get("/healthz");
    EXPECT_EQ(health.status, 200);
    for (auto &t : clients) t.join();
    for (const auto &r : results) {
        EXPECT_EQ(r.status, 200);
        EXPECT_TRUE(r.body_complete);
        EXPECT_TRUE(ends_with_done(r)) << r.body;
        EXPECT_EQ(streamed_content(r), long_answer(20, 5));
    }
    EXPECT_TRUE(wait_until(2s, [&] { return h.gate().active() == 0; }));
}

TEST(Relay, StreamedBufferedAndRetriedAnswersOverATlsUpstream) {
    ProxyHarness h("", [](vep::host::Config &c) { c.venice.ca_file = kTlsDir + "ca.pem"; }, serve_tls);
    ASSERT_EQ(h.sim().base_url().rfind("https://", 0), 0u);

    const auto streamed = h.post_chat(chat_body(kHermesModel, "sim:scenario=long chunks=50 chunk_bytes=7 interval_ms=2", true));
    EXPECT_EQ(streamed.status, 200) << streamed.body;
    EXPECT_EQ(streamed.header("X-Venice-Proxy-E2EE"), "verified");
    EXPECT_TRUE(ends_with_done(streamed)) << streamed.body;
    EXPECT_EQ(streamed_content(streamed), long_answer(50, 7));

    const auto buffered = h.post_chat(chat_body(kHermesModel, "sim:scenario=long chunks=30 chunk_bytes=3", false));
    ASSERT_EQ(buffered.status, 200) << buffered.body;
    EXPECT_EQ(buffered.json().find("choices")->as_array().at(0).find("message")->find("content")->as_string(),
              long_answer(30, 3));

    const std::string tools = R"("tools":[{"type":"function","function":{"name":"get_weather","parameters":)"
                              R"({"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}}])";
    const auto retried = h.post_chat(chat_body(kHermesModel, "sim:scenario=tool variant=fail_then_succeed", true, tools));
    EXPECT_EQ(retried.status, 200) << retried.body;
    EXPECT_TRUE(ends_with_done(retried)) << retried.body;
    EXPECT_NE(retried.body.find("\"tool_calls\""), std::string::npos) << retried.body;
    EXPECT_EQ(h.sim_requests("chat/completions"), 4u);  // streamed, buffered, tool call + its retry
    // Every upstream connection opened (chat attempts and attestation fetches share pooled ones)
    // was timed: connect, then TLS; later ones resumed the TLS session.
    const auto &pool = h.stats().upstream;  // the pool counts into the process-wide stats
    EXPECT_EQ(&h.generation().venice().pool().counters(), &pool);
    const size_t requests = h.sim_requests("chat/completions") + h.sim_requests("tee/attestation");
    EXPECT_GE(pool.opened.load(), 1u);
    EXPECT_EQ(pool.opened.load() + pool.reused.load(), requests);
    EXPECT_EQ(h.stats().upstream.connect_seconds.snapshot().count, pool.opened.load());
    EXPECT_EQ(h.stats().upstream.tls_handshake_seconds.snapshot().count, pool.opened.load());
}

TEST(Relay, AnUntrustedUpstreamCertificateIsRefused) {
    ProxyHarness h("", [](vep::host::Config &c) { c.venice.ca_file = kTlsDir + "other-ca.pem"; }, serve_tls);
    const auto r = h.post_chat(chat_body(kHermesModel, "Hi", true));
    EXPECT_EQ(r.status, 502) << r.body;
    // The first upstream call (the attestation) already fails the handshake: nothing is sent.
    EXPECT_EQ(r.header("X-Venice-Proxy-Error-Code"), "attestation_fetch_failed");
    EXPECT_EQ(h.sim_requests("tee/attestation"), 0u);
    EXPECT_EQ(h.sim_requests("chat/completions"), 0u);
}

TEST(Relay, AClientThatPausesGetsTheWholeAnswerAfterBackpressure) {
    ProxyHarness h;
    // ~1.3 MiB of client output at full speed: far more than the relay buffers (256 KiB) plus the
    // socket buffers (the proxy fixes its send buffer at 64 KiB; the client keeps the default
    // receive buffer — a tiny one makes loopback TCP crawl on zero-window probes), so the relay
    // must stop reading the upstream while the client sleeps, and resume later.
    constexpr size_t kChunks = 5000, kBytes = 200;
    Poco::Net::StreamSocket socket;
    socket.connect(Poco::Net::SocketAddress("127.0.0.1", h.port()));
    socket.setReceiveTimeout(Poco::Timespan(10, 0));
    const std::string head = ProxyHarness::send_raw_chat(
        socket,
        chat_body(kHermesModel, "sim:scenario=long chunks=" + std::to_string(kChunks) + " chunk_bytes=" +
                                    std::to_string(kBytes),
                  true),
        "\r\n\r\n");
    ASSERT_FALSE(head.empty());
    // The relay fills its buffer and pauses the upstream (reported by /healthz).
    EXPECT_TRUE(wait_until(20s, [&] {
        const auto health = h.get("/healthz").json();
        return health.find("relay")->find("paused")->as_number().text == "1";
    }));
    std::string raw = head.substr(head.find("\r\n\r\n") + 4);
    char buf[65536];
    for (;;) {
        const int n = socket.receiveBytes(buf, sizeof buf);
        if (n <= 0) break;
        raw.append(buf, static_cast<size_t>(n));
    }
    vep::host::HttpBodyDecoder chunked(vep::host::HttpBodyDecoder::Framing::Chunked);
    HttpResult r;
    r.status = 200;
    chunked.feed(raw, r.body);
    EXPECT_TRUE(chunked.finished());
    EXPECT_TRUE(ends_with_done(r));
    EXPECT_EQ(streamed_content(r), long_answer(kChunks, kBytes));
    const auto chat = h.wait_for_chat_record(2s, [](const vep::sim::RequestRecord &rec) { return rec.completed; });
    ASSERT_TRUE(chat);
    EXPECT_TRUE(chat->completed);
    EXPECT_FALSE(chat->client_disconnected);
    const auto health = h.get("/healthz").json();
    EXPECT_EQ(health.find("relay")->find("paused")->as_number().text, "0");
    EXPECT_NE(health.find("relay")->find("pauses")->as_number().text, "0");  // paused at least once
}

TEST(Relay, ADrainCutEndsAnOpenStreamWithServerDraining) {
    ProxyHarness h("", [](vep::host::Config &c) { c.server.shutdown_grace = std::chrono::milliseconds(200); });
    HttpResult result;
    std::thread client([&] {
        result = h.post_chat(chat_body(kHermesModel, "sim:scenario=long chunks=100 chunk_bytes=5 interval_ms=100", true));
    });
    ASSERT_TRUE(wait_until(3s, [&] { return h.gate().active() == 1; }));
    std::this_thread::sleep_for(300ms);
    h.stop_proxy(std::chrono::milliseconds(200));
    client.join();
    EXPECT_EQ(result.status, 200);
    const auto data = result.sse_data();
    ASSERT_FALSE(data.empty()) << result.body;
    EXPECT_NE(data.back(), "[DONE]");
    EXPECT_NE(data.back().find("server_draining"), std::string::npos) << data.back();
    EXPECT_EQ(h.gate().active(), 0u);
}
