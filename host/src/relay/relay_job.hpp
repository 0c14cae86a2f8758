// RelayJob: one chat request's answer, relayed on an event loop after the chat handler opened its
// first upstream attempt. Owns the request's state for the rest of its life (generation, exchange,
// chain run, client socket, responder) and the current upstream attempt: reads the upstream body
// without blocking (HTTP framing, SSE, decryption), passes each event to the Responder, writes the
// queued client output — every batch with one send — and applies the bounds: backpressure (upstream
// reads pause while too much output is unwritten), the upstream idle timeout
// (venice.request_timeout), the client send timeout (server.send_timeout) and a client that hangs
// up (the upstream attempt is aborted at once). Retry attempts are opened on the AttemptOpener.
// When the answer is complete it completes the chain run and writes the access-log line. Created
// by the chat handler, owned by the RelayPump, run on one loop thread.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include <Poco/Net/StreamSocket.h>

#include "chain/chain.hpp"
#include "chain/exchange.hpp"
#include "chat/client_output.hpp"
#include "chat/responder.hpp"
#include "chat/upstream_decoder.hpp"
#include "http/server_state.hpp"
#include "relay/event_loop.hpp"
#include "upstream/http_body_decoder.hpp"
#include "upstream/upstream_connection.hpp"

namespace vep::host {

class Generation;
class RelayPump;

class RelayJob final : public IoHandler {
  public:
    using Clock = std::chrono::steady_clock;

    struct Parts {
        std::shared_ptr<const Generation> generation;
        std::unique_ptr<Exchange> exchange;  // the chain's request side has run
        std::unique_ptr<ChainRun> chain;
        Poco::Net::StreamSocket client;  // detached from Poco's server; nothing written yet
        UpstreamAttempt attempt;         // the first attempt, 2xx
        Clock::time_point started;       // when the request arrived (access log)
    };

    RelayJob(Parts parts, ServerState &state);
    ~RelayJob() override;

    // Loop thread: registers the sockets and relays what already arrived.
    void start(EventLoop &loop, RelayPump &pump);
    // Loop thread: the shutdown grace is over — an error event for a started stream, then close.
    void cut();
    EventLoop &loop() const { return *loop_; }

    void on_ready(int fd, uint32_t events) override;
    void on_tick(Clock::time_point now) override;

  private:
    enum class Phase { Relaying, Opening, Flushing, Finished };
    struct RetryResult;

    void begin_relay();
    void install(UpstreamAttempt attempt);
    void watch_upstream(uint32_t interest);
    void close_upstream();
    void read_upstream();
    void relay(std::string_view raw);
    void apply(ResponderStep step);
    void open_retry(std::string body);
    void on_retry_result(RetryResult &result);
    void fail(const ProxyError &error);
    void guarded(void (RelayJob::*action)());
    void complete(ChatOutcome outcome);
    void client_gone();
    void flush();
    void pause_upstream();
    void resume_upstream();
    void unwatch_client();
    void update_client_interest();
    void finalize();

    std::shared_ptr<const Generation> generation_;
    std::unique_ptr<Exchange> exchange_;
    std::unique_ptr<ChainRun> chain_;
    Poco::Net::StreamSocket client_socket_;
    int client_fd_;
    ClientOutput output_;
    ResponseContext context_;
    std::unique_ptr<Responder> responder_;
    std::optional<UpstreamAttempt> first_attempt_;
    std::unique_ptr<UpstreamConnection> upstream_;
    std::optional<HttpBodyDecoder> framing_;
    std::optional<UpstreamDecoder> decoder_;
    std::string raw_, body_;
    Clock::time_point started_;
    Clock::time_point last_upstream_;
    std::optional<Clock::time_point> stalled_since_;  // unwritten output and the client not reading
    Duration idle_timeout_, send_timeout_;
    Phase phase_ = Phase::Relaying;
    bool upstream_watched_ = false;
    uint32_t upstream_interest_ = 0;
    bool client_watched_ = false;
    bool paused_ = false;
    bool cut_ = false;
    uint32_t client_interest_ = 0;
    ChatOutcome outcome_;
    std::optional<ActiveHandler> active_;
    EventLoop *loop_ = nullptr;
    RelayPump *pump_ = nullptr;
};

}  // namespace vep::host
