// D6, /healthz during drain. With server.shutdown_grace = "5s" and a long streaming answer open,
// SIGTERM: within 1 s a NEW connection's GET /healthz is 503 {"status":"draining",...} and a new
// chat request is 503 server_draining (the listener stays up while draining, so load balancers see
// the state instead of a refused connection); the open stream still ends properly (its [DONE] or
// an error event) and the process exits without crashing.
#include <gtest/gtest.h>

#include <csignal>

#include "hostile_harness.hpp"

using namespace vep::hostile;
using namespace std::chrono_literals;

TEST(Hostile, D6_Drain_HealthzAndNewRequestsAnswer503WhileAStreamFinishes) {
    HostileStack stack(Settings{{"server.shutdown_grace", "\"5s\""}});
    // ~4 s of answer: 40 chunks, 100 ms apart.
    RawConn stream(stack.port(), 3s);
    ASSERT_TRUE(stream.valid());
    ASSERT_TRUE(stream.send_all(http_request(
        "POST", "/v1/chat/completions",
        chat_json(kModel, "sim:scenario=long chunks=40 chunk_bytes=8 interval_ms=100", true))));
    auto first = stream.read_until(Clock::now() + 5s,
                                   [](const std::string &b) { return b.find("data: ") != std::string::npos; });
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
