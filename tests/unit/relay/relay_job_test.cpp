// RelayJob and its RelayedAnswer: an answer hears ending() once, before the last bytes of the
// client's response are written — whole or failed, and before its [DONE] when the upstream's body
// ends later — and finish() after them, so what it gives back at its end (a client key's
// open-answer slot, its token spending) is settled before a client can read the end and ask
// again. Real loopback sockets and a real RelayPump; the answer is a recording fake. Every wait
// is bounded.
#include <gtest/gtest.h>

#include <sys/socket.h>

#include <chrono>
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/StreamSocket.h>

#include "errors/proxy_error.hpp"
#include "relay/relay_job.hpp"
#include "relay/relay_pump.hpp"
#include "stats/proxy_stats.hpp"
#include "upstream/upstream_pool.hpp"

namespace vep::host {
namespace {

using namespace std::chrono_literals;

constexpr std::string_view kTerminatingChunk = "0\r\n\r\n";

// What the client's side of a connection has received and not read yet (up to 4 KiB).
std::string peek(int fd) {
    char received[4096];
    const ssize_t n = ::recv(fd, received, sizeof received, MSG_PEEK | MSG_DONTWAIT);
    return n > 0 ? std::string(received, static_cast<size_t>(n)) : std::string();
}

// What the answer saw: how often ending() was called, what the client had received then, and
// the outcome finish() got.
struct Record {
    int ending_calls = 0;
    std::string received_at_ending;
    std::promise<void> ended;  // the first ending() call
    std::promise<RelayOutcome> finished;
};

// How the fake answer ends: at the body's end, on its first body bytes (before the upstream's body
// ended), or failing on its first body bytes.
enum class Ending { AtBodyEnd, OnFirstBytes, FailOnFirstBytes };

// An answer that writes one event per body read and [DONE] when it ends, or fails the answer. At
// ending() it peeks at what the client's side of the connection has received.
class RecordingAnswer final : public RelayedAnswer {
  public:
    RecordingAnswer(int client_fd, Ending ending, Record &record)
        : client_fd_(client_fd), ending_(ending), record_(record) {}

    void begin(ClientOutput &out) override {
        out_ = &out;
        out.start_stream({});
    }
    RelayStep on_body(std::string_view) override {
        if (ending_ == Ending::FailOnFirstBytes)
            throw ProxyError::of("upstream_malformed_response", "the test's upstream body is refused");
        out_->event(R"({"part":1})");
        if (ending_ == Ending::AtBodyEnd) return RelayStep::Continue;
        out_->done();
        return RelayStep::Finished;
    }
    RelayStep on_body_end() override {
        out_->done();
        return RelayStep::Finished;
    }
    UpstreamAttempt open_next_attempt() override {
        throw ProxyError::of("internal_error", "the test's answer has one attempt");
    }
    void on_next_attempt() override {}
    void ending() override {
        ++record_.ending_calls;
        record_.received_at_ending = peek(client_fd_);
        if (record_.ending_calls == 1) record_.ended.set_value();
    }
    void finish(const RelayOutcome &outcome) override { record_.finished.set_value(outcome); }

  private:
    int client_fd_;
    Ending ending_;
    Record &record_;
    ClientOutput *out_ = nullptr;
};

// A connected pair of loopback TCP sockets: `near` is handed to the code under test, `far` is the
// test's end.
struct SocketPair {
    SocketPair() : listener(Poco::Net::SocketAddress("127.0.0.1", 0)), far(listener.address()) {
        near = listener.acceptConnection();
    }
    Poco::Net::ServerSocket listener;
    Poco::Net::StreamSocket far;
    Poco::Net::StreamSocket near;
};

// Reads what `socket` receives until the connection ends (at most 100 reads of a 5 s timeout each).
std::string read_to_end(Poco::Net::StreamSocket &socket) {
    std::string bytes;
    char buffer[4096];
    for (int reads = 0; reads < 100; ++reads) {
        const int n = socket.receiveBytes(buffer, sizeof buffer);
        if (n <= 0) break;
        bytes.append(buffer, static_cast<size_t>(n));
    }
    return bytes;
}

// What one relayed answer gave: the client's whole response, the outcome finish() got (none when
// it was not called within 5 s), and what the answer saw at ending().
struct Relayed {
    std::string response;
    std::optional<RelayOutcome> outcome;
    int ending_calls = 0;
    std::string received_at_ending;
};

// Relays a 10-byte upstream body, sent in two halves (the second only to an answer that did not
// fail), through a RecordingAnswer on a connection the upstream keeps alive, and reads the
// client's side to the connection's end.
Relayed relay_once(Ending ending) {
    Record record;
    auto finished = record.finished.get_future();
    Relayed relayed;
    SocketPair client;
    SocketPair upstream;
    client.far.setReceiveTimeout(Poco::Timespan(5, 0));
    RelayCounters counters;
    RelayPump pump(1, counters, 0);
    UpstreamAttempt attempt;
    attempt.socket = upstream.near;
    attempt.framing = BodyFraming::Length;
    attempt.content_length = 10;
    attempt.pool = std::make_shared<UpstreamPool>(4, 5s, nullptr);
    attempt.keep_alive = true;
    RelayJob::Parts parts{TakenConnection{client.near, ClientOutput::Framing::Http11, nullptr}, std::move(attempt),
                          std::make_unique<RecordingAnswer>(client.far.impl()->sockfd(), ending, record), 5s, 5s, 5s};
    client.near = Poco::Net::StreamSocket();
    upstream.near = Poco::Net::StreamSocket();
    auto ended = record.ended.get_future();
    pump.adopt(std::make_unique<RelayJob>(std::move(parts)));
    upstream.far.sendBytes("hello", 5);
    if (ending == Ending::OnFirstBytes) {
        // The answer ended and the job waits for the body's rest: the client holds the [DONE]
        // (peeked, left unread) before the rest is sent.
        for (int polls = 0; polls < 100 && peek(client.far.impl()->sockfd()).find("[DONE]") == std::string::npos; ++polls)
            std::this_thread::sleep_for(50ms);
    }
    if (ending != Ending::FailOnFirstBytes) upstream.far.sendBytes("world", 5);
    // Nothing is read before the answer heard ending(): its peek sees all that was written.
    if (ended.wait_for(5s) == std::future_status::ready) relayed.response = read_to_end(client.far);
    if (finished.wait_for(5s) == std::future_status::ready) relayed.outcome = finished.get();
    relayed.ending_calls = record.ending_calls;
    relayed.received_at_ending = record.received_at_ending;
    return relayed;
}

// The response carries `last`, then the terminating chunk; the answer heard ending() once, when
// the client had not received `last` yet.
void expect_ended_once_before(const Relayed &relayed, std::string_view last) {
    const size_t at = relayed.response.find(last);
    EXPECT_NE(at, std::string::npos) << relayed.response;
    EXPECT_NE(relayed.response.find(kTerminatingChunk, at), std::string::npos) << relayed.response;
    EXPECT_EQ(relayed.ending_calls, 1);
    EXPECT_EQ(relayed.received_at_ending.find(last), std::string::npos) << relayed.received_at_ending;
}

TEST(RelayJobEnding, AWholeAnswerEndsBeforeItsLastBytesAreWritten) {
    const Relayed relayed = relay_once(Ending::AtBodyEnd);
    ASSERT_TRUE(relayed.outcome);
    EXPECT_TRUE(relayed.outcome->succeeded);
    EXPECT_NE(relayed.response.find("data: [DONE]"), std::string::npos) << relayed.response;
    expect_ended_once_before(relayed, kTerminatingChunk);
}

TEST(RelayJobEnding, AFailedAnswerEndsBeforeItsErrorEventIsWritten) {
    const Relayed relayed = relay_once(Ending::FailOnFirstBytes);
    ASSERT_TRUE(relayed.outcome);
    EXPECT_FALSE(relayed.outcome->succeeded);
    EXPECT_EQ(relayed.outcome->code, "upstream_malformed_response");
    expect_ended_once_before(relayed, "upstream_malformed_response");
}

// An SSE client may stop at [DONE]: an answer that ended while the upstream's body still runs (the
// job waits for its rest to keep the connection) hears ending() before its [DONE] is written.
TEST(RelayJobEnding, AnAnswerThatEndsBeforeItsUpstreamBodyEndsBeforeItsDoneIsWritten) {
    const Relayed relayed = relay_once(Ending::OnFirstBytes);
    ASSERT_TRUE(relayed.outcome);
    EXPECT_TRUE(relayed.outcome->succeeded);
    expect_ended_once_before(relayed, "data: [DONE]");
}

}  // namespace
}  // namespace vep::host
