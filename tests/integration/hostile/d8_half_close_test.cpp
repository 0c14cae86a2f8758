// D8, half-closed clients. (a) A client that sends a streaming chat request and then shuts down
// its sending side (shutdown(SHUT_WR)) still receives the whole answer up to "data: [DONE]".
// (b) A body shorter than its Content-Length followed by shutdown(SHUT_WR) is a truncated request:
// 400 invalid_request, and nothing reaches venice-sim. The missing 100 bytes are JSON whitespace,
// so only the length check can tell the request is incomplete.
#include <gtest/gtest.h>

#include "hostile_harness.hpp"

using namespace vep::hostile;
using namespace std::chrono_literals;

TEST(Hostile, D8a_HalfClose_WholeStreamStillArrives) {
    HostileStack stack;
    RawConn conn(stack.port(), 3s);
    ASSERT_TRUE(conn.valid());
    ASSERT_TRUE(conn.send_all(http_request(
        "POST", "/v1/chat/completions",
        chat_json(kModel, "sim:scenario=long chunks=10 chunk_bytes=8 interval_ms=20", true))));
    conn.shutdown_write();
    const auto read = conn.read_until(Clock::now() + 10s);
    const auto r = parse_response(read.bytes, read.end != ReadEnd::Timeout);
    EXPECT_EQ(r.status, 200) << read.bytes.substr(0, 600);
    EXPECT_TRUE(r.complete) << "the response ended early (" << to_string(read.end) << ")";
    const auto data = r.sse_data();
    ASSERT_FALSE(data.empty()) << read.bytes.substr(0, 600);
    EXPECT_EQ(data.back(), "[DONE]") << r.body.substr(r.body.size() > 600 ? r.body.size() - 600 : 0);
}

TEST(Hostile, D8b_HalfClose_TruncatedBodyIsRefusedAndNeverForwarded) {
    HostileStack stack;
    const std::string json = chat_json(kModel, "truncated", false);
    const std::string declared = json + std::string(100, ' ');
    const std::string head = "POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                             "Content-Length: " + std::to_string(declared.size()) + "\r\n\r\n";
    RawConn conn(stack.port(), 3s);
    ASSERT_TRUE(conn.valid());
    ASSERT_TRUE(conn.send_all(head + json));  // 100 bytes short
    conn.shutdown_write();
    const auto read = conn.read_until(Clock::now() + 10s,
                                      [](const std::string &b) { return parse_response(b, false).complete; });
    const auto r = parse_response(read.bytes, read.end != ReadEnd::Timeout);
    EXPECT_EQ(r.status, 400) << read.bytes.substr(0, 600);
    EXPECT_EQ(r.error_code(), "invalid_request");
    std::this_thread::sleep_for(300ms);
    EXPECT_EQ(stack.sim_chat_requests(), 0u) << "the truncated request reached venice-sim";
}
