// D6, /healthz during drain. With server.shutdown_grace = "5s" and a long streaming answer open,
// SIGTERM: within 1 s a NEW connection's GET /healthz is 503 {"status":"draining",...} and a new
// chat request is 503 server_draining (the listener stays up while draining, so load balancers see
// the state instead of a refused connection); the open stream still ends properly (its [DONE] or
// an error event) and the process exits without crashing. And no connection is lost as the
// draining proxy stops: clients that keep connecting from the SIGTERM until the process is gone
// each get an answer (200 or 503) or a refused connect, never an accepted connection that ends
// without one; a keep-alive connection opened before the signal is told Connection: close.
#include <gtest/gtest.h>

#include <atomic>
#include <csignal>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "hostile_harness.hpp"

using namespace vep::hostile;
using namespace std::chrono_literals;

namespace {

// Sends a streaming chat of `chunks` chunks 100 ms apart on `stream` and reads up to its first
// event (end Done); anything else when the connection or the stream failed.
ReadResult start_stream(RawConn &stream, int chunks) {
    if (!stream.valid() ||
        !stream.send_all(http_request("POST", "/v1/chat/completions",
                                      chat_json(kModel,
                                                "sim:scenario=long chunks=" + std::to_string(chunks) +
                                                    " chunk_bytes=8 interval_ms=100",
                                                true))))
        return {};
    return stream.read_until(Clock::now() + 5s, [](const std::string &b) { return b.find("data: ") != std::string::npos; });
}

}  // namespace

TEST(Hostile, D6_Drain_HealthzAndNewRequestsAnswer503WhileAStreamFinishes) {
    HostileStack stack(Settings{{"server.shutdown_grace", "\"5s\""}});
    // ~4 s of answer: 40 chunks, 100 ms apart.
    RawConn stream(stack.port(), 3s);
    const ReadResult first = start_stream(stream, 40);
    ASSERT_EQ(first.end, ReadEnd::Done) << "the stream did not start: " << first.bytes.substr(0, 600);

    stack.proxy().signal(SIGTERM);
    // Past the moment a stopped acceptor would have quit (Poco's accept loop polls every 250 ms);
    // the answer must still come within 1 s of the signal.
    std::this_thread::sleep_for(300ms);

    const auto health = exchange(stack.port(), http_request("GET", "/healthz"), 700ms);
    EXPECT_TRUE(health.connected) << "a new connection was refused while draining";
    EXPECT_EQ(health.response.status, 503) << to_string(health.end) << ": " << health.raw.substr(0, 600);
    std::string health_status;
    try {
        const vep::json::Value body = vep::json::parse(health.response.body);
        if (const auto *s = body.find("status"); s && s->is_string()) health_status = s->as_string();
    } catch (const std::exception &) {
    }
    EXPECT_EQ(health_status, "draining") << health.response.body;

    const auto chat = exchange(stack.port(), http_request("POST", "/v1/chat/completions", chat_json(kModel, "hi", true)), 1s);
    EXPECT_TRUE(chat.connected);
    EXPECT_EQ(chat.response.status, 503) << to_string(chat.end) << ": " << chat.raw.substr(0, 600);
    EXPECT_EQ(chat.response.error_code(), "server_draining");

    auto rest = stream.read_until(Clock::now() + 10s);
    const auto answer = parse_response(first.bytes + rest.bytes, rest.end != ReadEnd::Timeout);
    EXPECT_EQ(answer.status, 200);
    const auto data = answer.sse_data();
    const bool done = !data.empty() && data.back() == "[DONE]";
    const bool error_event = !data.empty() && data.back().find("\"error\"") != std::string::npos;
    EXPECT_TRUE(done || error_event) << "the open stream neither finished nor ended with an error event: "
                                     << answer.body.substr(answer.body.size() > 600 ? answer.body.size() - 600 : 0);

    const auto status = stack.proxy().wait_exit(15s);
    ASSERT_TRUE(status.has_value()) << "the proxy did not exit after draining";
    EXPECT_LT(*status, 128) << "the proxy was killed by signal " << *status - 128;
}

TEST(Hostile, D6_Drain_EveryConnectionToAStoppingProxyIsAnsweredOrRefused) {
    HostileStack stack(Settings{{"server.shutdown_grace", "\"5s\""}});
    // ~1 s of answer keeps the proxy draining for a while before it stops.
    RawConn stream(stack.port(), 3s);
    const ReadResult first = start_stream(stream, 10);
    ASSERT_EQ(first.end, ReadEnd::Done) << "the stream did not start: " << first.bytes.substr(0, 600);
    // A keep-alive connection that has had one answer and sits idle when the signal comes.
    RawConn idle(stack.port(), 3s);
    ASSERT_TRUE(idle.valid());
    const std::string keep_alive_healthz = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
    ASSERT_TRUE(idle.send_all(keep_alive_healthz));
    const auto before = idle.read_until(Clock::now() + 3s, [](const std::string &b) {
        return b.find("\r\n\r\n") != std::string::npos && b.find('}') != std::string::npos;
    });
    ASSERT_EQ(parse_response(before.bytes, false).status, 200) << before.bytes.substr(0, 600);

    stack.proxy().signal(SIGTERM);
    std::this_thread::sleep_for(100ms);
    ASSERT_TRUE(idle.send_all(keep_alive_healthz));
    const auto during = idle.read_until(Clock::now() + 3s);
    const auto during_answer = parse_response(during.bytes, during.end != ReadEnd::Timeout);
    EXPECT_EQ(during_answer.status, 503) << to_string(during.end) << ": " << during.bytes.substr(0, 600);
    const std::string connection = during_answer.header("Connection");
    EXPECT_TRUE(connection == "close" || connection == "Close") << during_answer.head;

    std::atomic<bool> proxy_gone{false};
    std::atomic<int> answered{0};
    std::mutex mutex;
    std::vector<std::string> lost;
    std::vector<std::thread> clients;
    for (int i = 0; i < 4; ++i)
        clients.emplace_back([&] {
            // Until the process is gone, and a bounded number of attempts in any case.
            for (int attempt = 0; attempt < 50000 && !proxy_gone; ++attempt) {
                const auto e = exchange(stack.port(), http_request("GET", "/healthz"), 3s);
                if (!e.connected) continue;  // refused: the load balancer tries elsewhere
                if (e.response.status == 200 ||
                    (e.response.status == 503 && e.response.body.find("draining") != std::string::npos)) {
                    ++answered;
                } else {
                    std::lock_guard lock(mutex);
                    lost.push_back(std::string(to_string(e.end)) + ": " + e.raw.substr(0, 200));
                }
            }
        });
    const auto status = stack.proxy().wait_exit(15s);
    proxy_gone = true;
    for (auto &client : clients) client.join();
    ASSERT_TRUE(status.has_value()) << "the proxy did not exit after draining";
    EXPECT_EQ(*status, 0);
    EXPECT_GT(answered.load(), 0);
    EXPECT_TRUE(lost.empty()) << lost.size() << " connections ended without an answer, first: " << lost.front();

    auto rest = stream.read_until(Clock::now() + 5s);
    const auto answer = parse_response(first.bytes + rest.bytes, rest.end != ReadEnd::Timeout);
    EXPECT_EQ(answer.status, 200);
    const auto data = answer.sse_data();
    EXPECT_TRUE(!data.empty() && data.back() == "[DONE]") << "the open stream was cut";
}
