// Client keep-alive after relayed chat answers, against the real proxy binary over raw sockets: a
// chat answer on an HTTP/1.1 connection that did not ask to close says Connection: Keep-Alive and
// the same connection carries the next requests (chat, streamed or not, and other routes); the
// kept connection waits on the relay (healthz relay.kept_alive) until the next request, a close,
// server.keep_alive_timeout or the drain; an answer that failed mid-stream still ends with exact
// framing and keeps it; Connection: close is honoured, and so is a pipelined request read along
// with the chat request (the answer closes the connection instead of losing it); a connection
// that comes back is admitted again (server.max_connections_per_client holds); and no more
// connections wait than the stream limit allows.
#include <gtest/gtest.h>

#include <csignal>

#include "hostile_harness.hpp"

using namespace vep::hostile;
using namespace std::chrono_literals;

namespace {

// `request` without the Connection: close that http_request() adds for HTTP/1.1.
std::string keep_alive(std::string request) {
    const std::string close = "Connection: close\r\n";
    if (const auto at = request.find(close); at != std::string::npos) request.erase(at, close.size());
    return request;
}

std::string chat(const std::string &text, bool stream) {
    return keep_alive(http_request("POST", "/v1/chat/completions", chat_json(kModel, text, stream)));
}

// Sends `request` on `conn` and reads one whole response (the connection stays open).
RawResponse round_trip(RawConn &conn, const std::string &request) {
    if (!conn.send_all(request)) return {};
    const auto read = conn.read_until(Clock::now() + 10s, [](const std::string &bytes) {
        return parse_response(bytes, false).complete;
    });
    return parse_response(read.bytes, read.end != ReadEnd::Timeout && read.end != ReadEnd::Done);
}

uint64_t kept_alive(uint16_t port) {
    const auto health = healthz(port);
    if (!health) return UINT64_MAX;
    const auto *relay = health->find("relay");
    const auto *count = relay ? relay->find("kept_alive") : nullptr;
    uint64_t value = UINT64_MAX;
    if (count) count->get_u64(value);
    return value;
}

}  // namespace

TEST(KeepAlive, OneConnectionCarriesStreamedAndBufferedChatsAndOtherRoutes) {
    HostileStack stack;
    RawConn conn(stack.port(), 3s);
    ASSERT_TRUE(conn.valid());

    const RawResponse streamed = round_trip(conn, chat("sim:scenario=long chunks=5 chunk_bytes=8", true));
    ASSERT_TRUE(streamed.complete) << streamed.head;
    EXPECT_EQ(streamed.status, 200);
    EXPECT_EQ(streamed.header("Connection"), "Keep-Alive") << streamed.head;
    ASSERT_FALSE(streamed.sse_data().empty());
    EXPECT_EQ(streamed.sse_data().back(), "[DONE]");
    EXPECT_TRUE(eventually(3s, [&] { return kept_alive(stack.port()) == 1; }))
        << "the idle connection is not waiting on the relay";

    const RawResponse buffered = round_trip(conn, chat("hello again", false));
    ASSERT_TRUE(buffered.complete) << buffered.head;
    EXPECT_EQ(buffered.status, 200) << buffered.body.substr(0, 300);
    EXPECT_EQ(buffered.header("Connection"), "Keep-Alive") << buffered.head;
    EXPECT_NE(buffered.body.find("\"choices\""), std::string::npos);

    const RawResponse models = round_trip(conn, keep_alive(http_request("GET", "/v1/models")));
    ASSERT_TRUE(models.complete) << models.head;
    EXPECT_EQ(models.status, 200);

    const RawResponse again = round_trip(conn, chat("sim:scenario=long chunks=3 chunk_bytes=8", true));
    ASSERT_TRUE(again.complete) << again.head;
    EXPECT_EQ(again.status, 200);
    EXPECT_EQ(again.sse_data().back(), "[DONE]");
    EXPECT_EQ(stack.sim_chat_requests(), 3u);
}

TEST(KeepAlive, AStreamThatFailedMidwayEndsWithExactFramingAndKeepsTheConnection) {
    HostileStack stack;
    RawConn conn(stack.port(), 3s);
    ASSERT_TRUE(conn.valid());
    const RawResponse failed =
        round_trip(conn, chat("sim:scenario=long chunks=6 chunk_bytes=8 fault=wrong_key_chunk fault_after=2", true));
    ASSERT_TRUE(failed.complete) << failed.head;
    ASSERT_FALSE(failed.sse_data().empty());
    EXPECT_NE(failed.sse_data().back().find("\"error\""), std::string::npos) << failed.body;
    EXPECT_EQ(failed.header("Connection"), "Keep-Alive") << failed.head;

    const RawResponse next = round_trip(conn, chat("hello", false));
    ASSERT_TRUE(next.complete) << next.head;
    EXPECT_EQ(next.status, 200) << next.body.substr(0, 300);
}

TEST(KeepAlive, ConnectionCloseIsHonoured) {
    HostileStack stack;
    RawConn conn(stack.port(), 3s);
    ASSERT_TRUE(conn.valid());
    const RawResponse answer =
        round_trip(conn, http_request("POST", "/v1/chat/completions", chat_json(kModel, "hello", true)));
    EXPECT_EQ(answer.status, 200);
    EXPECT_EQ(answer.header("Connection"), "Close") << answer.head;
    const auto after = conn.read_until(Clock::now() + 5s);
    EXPECT_EQ(after.end, ReadEnd::Eof) << "the connection must end after the answer";
    EXPECT_TRUE(after.bytes.empty());
    EXPECT_EQ(kept_alive(stack.port()), 0u);
}

TEST(KeepAlive, ARequestPipelinedBehindAChatClosesTheConnectionAfterTheAnswer) {
    // The worker read the models request along with the chat request; those bytes leave with the
    // worker's session, so the answer must say Connection: Close and end the connection, not
    // leave the client waiting for a second answer until the keep-alive timeout.
    HostileStack stack(Settings{{"server.keep_alive_timeout", "\"60s\""}});
    RawConn conn(stack.port(), 3s);
    ASSERT_TRUE(conn.valid());
    ASSERT_TRUE(conn.send_all(chat("hello", true) + keep_alive(http_request("GET", "/v1/models"))));
    const auto read = conn.read_until(Clock::now() + 10s);
    EXPECT_EQ(read.end, ReadEnd::Eof) << "the connection stayed open: " << read.bytes.substr(0, 300);
    const RawResponse answer = parse_response(read.bytes, read.end == ReadEnd::Eof);
    EXPECT_EQ(answer.status, 200);
    EXPECT_EQ(answer.header("Connection"), "Close") << answer.head;
    ASSERT_FALSE(answer.sse_data().empty());
    EXPECT_EQ(answer.sse_data().back(), "[DONE]");
}

TEST(KeepAlive, AnIdleConnectionIsClosedAfterTheKeepAliveTimeoutOrWhenTheClientLeaves) {
    HostileStack stack(Settings{{"server.keep_alive_timeout", "\"400ms\""}});
    RawConn idle(stack.port(), 3s);
    ASSERT_TRUE(idle.valid());
    ASSERT_TRUE(round_trip(idle, chat("hello", true)).complete);
    const auto start = Clock::now();
    const auto end = idle.read_until(start + 5s);
    EXPECT_EQ(end.end, ReadEnd::Eof) << "the idle connection was not closed: " << end.bytes.substr(0, 300);
    EXPECT_TRUE(end.bytes.empty()) << end.bytes.substr(0, 300);
    EXPECT_GE(Clock::now() - start, 300ms);
    EXPECT_LT(Clock::now() - start, 3s);

    RawConn leaving(stack.port(), 3s);
    ASSERT_TRUE(round_trip(leaving, chat("hello", false)).complete);
    leaving.close();
    EXPECT_TRUE(eventually(3s, [&] { return kept_alive(stack.port()) == 0; }));
}

TEST(KeepAlive, AReturningConnectionIsAdmittedAgain) {
    // One connection per client address: while the first connection's answer is relayed its slot
    // is free, a second connection takes it, and the first one's next request is refused at
    // readmission like a new connection would be.
    HostileStack stack(Settings{{"server.max_connections_per_client", "1"}});
    RawConn first(stack.port(), 3s);
    ASSERT_TRUE(first.valid());
    ASSERT_EQ(round_trip(first, chat("hello", true)).status, 200);

    // The first connection's slot is given back when its worker lets go of it, a moment after it
    // handed the request to the relay: until then a second connection is refused.
    RawConn second;
    ASSERT_TRUE(eventually(5s, [&] {
        second = RawConn(stack.port(), 3s);
        return second.valid() && round_trip(second, keep_alive(http_request("GET", "/v1/models"))).status == 200;
    }));

    const RawResponse refused = round_trip(first, chat("hello", false));
    EXPECT_EQ(refused.status, 503) << refused.head;
    EXPECT_EQ(refused.error_code(), "server_overloaded");
}

TEST(KeepAlive, NoMoreConnectionsWaitThanTheStreamLimitAllows) {
    HostileStack stack(Settings{{"server.max_concurrent_streams", "1"}});
    RawConn first(stack.port(), 3s);
    ASSERT_TRUE(round_trip(first, chat("hello", true)).complete);
    ASSERT_TRUE(eventually(3s, [&] { return kept_alive(stack.port()) == 1; }));

    RawConn second(stack.port(), 3s);
    ASSERT_TRUE(round_trip(second, chat("hello", true)).complete);
    const auto after = second.read_until(Clock::now() + 3s);
    EXPECT_EQ(after.end, ReadEnd::Eof) << "a connection beyond the limit must be closed after its answer";
    EXPECT_EQ(kept_alive(stack.port()), 1u);

    const RawResponse again = round_trip(first, chat("hello", false));
    EXPECT_EQ(again.status, 200) << again.head;
}

TEST(KeepAlive, TheDrainClosesKeptConnections) {
    HostileStack stack(Settings{{"server.shutdown_grace", "\"2s\""}, {"server.keep_alive_timeout", "\"60s\""}});
    RawConn idle(stack.port(), 3s);
    ASSERT_TRUE(idle.valid());
    ASSERT_TRUE(round_trip(idle, chat("hello", true)).complete);
    ASSERT_TRUE(eventually(3s, [&] { return kept_alive(stack.port()) == 1; }));

    stack.proxy().signal(SIGTERM);
    // Nothing is in flight: the drain closes the kept connection at once (not at the end of the
    // relay's five-second cut wait, nor at process exit).
    const auto end = idle.read_until(Clock::now() + 3s);
    EXPECT_EQ(end.end, ReadEnd::Eof) << "the kept connection stayed open through the drain";
    const auto status = stack.proxy().wait_exit(15s);
    ASSERT_TRUE(status.has_value()) << "the proxy did not exit with a kept connection open";
    EXPECT_EQ(*status, 0);
}
