// RelayJob: the transport of one chat answer on an event loop, after the pipeline opened its
// first upstream attempt. Owns the client connection (detached from Poco's server; plain or TLS), the client
// output, the current upstream attempt's reader and body framing, and the RelayedAnswer that
// turns body bytes into output. Reads the upstream without blocking, writes the queued output —
// every batch with one send — and applies the bounds: backpressure (upstream reads pause while too
// much output is unwritten), the upstream idle timeout, the client send timeout, a client that
// hangs up (the upstream attempt is aborted at once — unless the answer was whole and only the
// upstream's last chunk is awaited, which keeps the connection reusable; a half-close is not a hang-up) and the
// drain cut. Further attempts are
// opened on the pump's blocking tasks. When the answer ended cleanly on a connection that may
// carry another request, the job keeps the client socket on its loop — no worker thread — until
// the next request's first bytes arrive (then it hands the socket back to the HTTP server), the
// client closes, server.keep_alive_timeout passes or the drain cuts it. Created by the pipeline,
// owned by the RelayPump, run on one loop thread.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include <Poco/Net/StreamSocket.h>

#include "config/config.hpp"
#include "relay/client_connection.hpp"
#include "relay/client_output.hpp"
#include "relay/connection_handover.hpp"
#include "relay/event_loop.hpp"
#include "upstream/http_body_decoder.hpp"
#include "relay/relayed_answer.hpp"
#include "relay/upstream_reader.hpp"

namespace vep::host {

class RelayPump;

class RelayJob final : public IoHandler {
  public:
    using Clock = std::chrono::steady_clock;

    struct Parts {
        TakenConnection client;  // detached from Poco's server; nothing written yet
        UpstreamAttempt attempt;  // the first attempt, 2xx
        std::unique_ptr<RelayedAnswer> answer;
        Duration idle_timeout;        // upstream silent for longer fails the answer
        Duration send_timeout;        // client not reading for longer is treated as gone
        Duration keep_alive_timeout;  // a kept connection without a next request for longer is closed
    };

    explicit RelayJob(Parts parts);
    ~RelayJob() override;

    // Loop thread: registers the sockets and relays what already arrived.
    void start(EventLoop &loop, RelayPump &pump);
    // Loop thread: the shutdown grace is over — an error event for a started stream, then close.
    void cut();
    EventLoop &loop() const { return *loop_; }

    void on_ready(int fd, uint32_t events) override;
    void on_tick(Clock::time_point now) override;
    // The pump counts this job as kept alive (from its Idle phase until it retires), not as open.
    bool kept_alive() const { return kept_alive_; }

  private:
    enum class Phase { Relaying, Opening, Flushing, Idle, Finished };
    struct OpenResult;

    void begin_relay();
    void install(UpstreamAttempt attempt);
    void watch_upstream(uint32_t interest);
    void close_upstream();
    void read_upstream();
    void relay(std::string_view raw);
    void end_of_body();
    void apply(RelayStep step);
    void open_next();
    void on_opened(OpenResult &result);
    void settle();
    void on_settled(OpenResult &result);
    void off_loop(std::function<void(OpenResult &)> work, void (RelayJob::*then)(OpenResult &));
    void fail(const ProxyError &error);
    void guarded(void (RelayJob::*action)());
    void complete(RelayOutcome outcome);
    void end_answer();
    void client_gone();
    void flush();
    void pause_upstream();
    void resume_upstream();
    void unwatch_client();
    void update_client_interest();
    void finalize();
    bool wait_for_next_request();
    void hand_back();
    void close_idle();
    void end_idle();

    ClientConnection client_;
    int client_fd_;
    ClientOutput output_;
    std::unique_ptr<RelayedAnswer> answer_;
    std::optional<UpstreamAttempt> first_attempt_;
    std::unique_ptr<UpstreamReader> upstream_;
    std::shared_ptr<UpstreamPool> upstream_pool_;  // where a cleanly ended attempt's connection goes
    std::optional<HttpBodyDecoder> framing_;
    std::string raw_, body_;
    Clock::time_point last_upstream_;
    std::optional<Clock::time_point> stalled_since_;  // unwritten output and the client not reading
    Duration idle_timeout_, send_timeout_, keep_alive_timeout_;
    ConnectionReturn *keep_alive_;  // null: the answer closes the connection
    bool kept_alive_ = false;
    Clock::time_point idle_since_;  // when the Idle phase began
    Phase phase_ = Phase::Relaying;
    bool upstream_watched_ = false;
    uint32_t upstream_interest_ = 0;
    bool client_watched_ = false;
    bool client_half_closed_ = false;
    bool paused_ = false;
    bool cut_ = false;
    bool answer_done_ = false;  // the answer finished; the rest of the response body is awaited
    bool answer_ended_ = false;  // the answer heard ending()
    uint32_t client_interest_ = 0;
    RelayOutcome outcome_;
    EventLoop *loop_ = nullptr;
    RelayPump *pump_ = nullptr;
};

}  // namespace vep::host
