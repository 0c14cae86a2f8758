// RelayJob and its RelayedAnswer: an answer hears ending() once, before the last bytes of the
// client's response are written — whole or failed — and finish() after them, so what it gives
// back at its end (a client key's open-answer slot, its token spending) is settled before a
// client can read the end and ask again. Real loopback sockets and a real RelayPump; the answer
// is a recording fake. Every wait is bounded.
#include <gtest/gtest.h>

#include <sys/socket.h>

#include <chrono>
#include <future>
#include <memory>
#include <string>

#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/StreamSocket.h>

#include "errors/proxy_error.hpp"
#include "relay/relay_job.hpp"
#include "relay/relay_pump.hpp"
#include "stats/proxy_stats.hpp"

namespace vep::host {
namespace {

using namespace std::chrono_literals;

constexpr std::string_view kTerminatingChunk = "0\r\n\r\n";

// What the answer saw: how often ending() was called, whether the client already held the end
// of the response then, and the outcome finish() got.
struct Record {
    int ending_calls = 0;
    bool end_was_written_at_ending = false;
    std::promise<RelayOutcome> finished;
};

// An answer that writes one event per body read and [DONE] at the body's end, or fails the
// answer on its first body bytes (`fail_on_body`). At ending() it peeks at the client's side of
// the connection for the response's terminating chunk.
class RecordingAnswer final : public RelayedAnswer {
  public:
    RecordingAnswer(int client_fd, bool fail_on_body, Record &record)
        : client_fd_(client_fd), fail_on_body_(fail_on_body), record_(record) {}

    void begin(ClientOutput &out) override {
        out_ = &out;
        out.start_stream({});
    }
    RelayStep on_body(std::string_view) override {
        if (fail_on_body_) throw ProxyError::of("upstream_malformed_response", "the test's upstream body is refused");
        out_->event(R"({"part":1})");
        return RelayStep::Continue;
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
        char received[4096];
        const ssize_t n = ::recv(client_fd_, received, sizeof received, MSG_PEEK | MSG_DONTWAIT);
        record_.end_was_written_at_ending =
            n > 0 && std::string_view(received, static_cast<size_t>(n)).find(kTerminatingChunk) != std::string_view::npos;
    }
    void finish(const RelayOutcome &outcome) override { record_.finished.set_value(outcome); }

  private:
    int client_fd_;
    bool fail_on_body_;
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

// Relays a 5-byte upstream body through a RecordingAnswer; returns what the client read to the
// connection's end.
std::string relay_once(bool fail_on_body, Record &record) {
    SocketPair client;
    SocketPair upstream;
    client.far.setReceiveTimeout(Poco::Timespan(5, 0));
    RelayCounters counters;
    RelayPump pump(1, counters, 0);
    UpstreamAttempt attempt;
    attempt.socket = upstream.near;
    attempt.framing = BodyFraming::Length;
    attempt.content_length = 5;
    RelayJob::Parts parts{TakenConnection{client.near, ClientOutput::Framing::Http11, nullptr}, std::move(attempt),
                          std::make_unique<RecordingAnswer>(client.far.impl()->sockfd(), fail_on_body, record), 5s,
                          5s, 5s};
    client.near = Poco::Net::StreamSocket();
    upstream.near = Poco::Net::StreamSocket();
    pump.adopt(std::make_unique<RelayJob>(std::move(parts)));
    upstream.far.sendBytes("hello", 5);

    std::string response;
    char buffer[4096];
    for (int reads = 0; reads < 100; ++reads) {
        const int n = client.far.receiveBytes(buffer, sizeof buffer);
        if (n <= 0) break;
        response.append(buffer, static_cast<size_t>(n));
    }
    return response;
}

TEST(RelayJobEnding, AWholeAnswerEndsBeforeItsLastBytesAreWritten) {
    Record record;
    auto finished = record.finished.get_future();
    const std::string response = relay_once(false, record);
    EXPECT_NE(response.find("data: [DONE]"), std::string::npos) << response;
    EXPECT_NE(response.find(kTerminatingChunk), std::string::npos) << response;
    ASSERT_EQ(finished.wait_for(5s), std::future_status::ready);
    EXPECT_TRUE(finished.get().succeeded);
    EXPECT_EQ(record.ending_calls, 1);
    EXPECT_FALSE(record.end_was_written_at_ending);
}

TEST(RelayJobEnding, AFailedAnswerEndsBeforeItsErrorEventIsWritten) {
    Record record;
    auto finished = record.finished.get_future();
    const std::string response = relay_once(true, record);
    EXPECT_NE(response.find("upstream_malformed_response"), std::string::npos) << response;
    EXPECT_NE(response.find(kTerminatingChunk), std::string::npos) << response;
    ASSERT_EQ(finished.wait_for(5s), std::future_status::ready);
    const RelayOutcome outcome = finished.get();
    EXPECT_FALSE(outcome.succeeded);
    EXPECT_EQ(outcome.code, "upstream_malformed_response");
    EXPECT_EQ(record.ending_calls, 1);
    EXPECT_FALSE(record.end_was_written_at_ending);
}

}  // namespace
}  // namespace vep::host
