// See relay_job.hpp.
#include "relay/relay_job.hpp"

#include <sys/epoll.h>


#include <Poco/Exception.h>

#include "relay/relay_pump.hpp"

namespace vep::host {
namespace {

// Upstream reads pause while more client output than this is unwritten, and resume below kResume.
constexpr size_t kMaxUnwritten = 256 * 1024;
constexpr size_t kResume = 64 * 1024;
// Upstream bytes read per wake-up before the loop serves the other streams (level-triggered
// epoll brings the job back): about 80 encrypted chunks, a few milliseconds of decryption.
constexpr size_t kReadBudget = 32 * 1024;
constexpr size_t kReadSize = 16 * 1024;

// The client's half-close (EPOLLRDHUP) is watched until it happens: a client that shuts down its
// sending side after the request still reads the answer. A client that is really gone shows as
// EPOLLHUP/EPOLLERR or a failed send.
constexpr uint32_t kClientBase = EPOLLRDHUP;
// After the answer finished, how long the upstream may take to end the response body (its last
// chunk) so that the connection can be reused; past it the connection is closed.
constexpr std::chrono::milliseconds kTailWait{500};

RelayOutcome client_left() { return RelayOutcome{false, 200, "client_disconnected", true}; }
RelayOutcome answered() { return RelayOutcome{true, 200, "", false}; }

}  // namespace

struct RelayJob::OpenResult {
    std::optional<UpstreamAttempt> attempt;
    std::optional<ProxyError> error;
};

RelayJob::RelayJob(Parts parts)
    : client_(std::move(parts.client.socket)), client_fd_(client_.fd()),
      output_(parts.client.framing, parts.client.keep_alive != nullptr), answer_(std::move(parts.answer)),
      first_attempt_(std::move(parts.attempt)), idle_timeout_(parts.idle_timeout), send_timeout_(parts.send_timeout),
      keep_alive_timeout_(parts.keep_alive_timeout), keep_alive_(parts.client.keep_alive) {}

RelayJob::~RelayJob() = default;

void RelayJob::start(EventLoop &loop, RelayPump &pump) {
    loop_ = &loop;
    pump_ = &pump;
    loop.add_ticker(this);
    try {
        loop.watch(client_fd_, kClientBase, this);
        client_interest_ = kClientBase;
        client_watched_ = true;
    } catch (const std::exception &) {
        output_.mark_gone();
        complete(client_left());
        return;
    }
    guarded(&RelayJob::begin_relay);
}

void RelayJob::begin_relay() {
    answer_->begin(output_);
    install(std::move(*first_attempt_));
    first_attempt_.reset();
    read_upstream();
}

void RelayJob::install(UpstreamAttempt attempt) {
    upstream_ = std::make_unique<UpstreamReader>(std::move(attempt.socket), attempt.tls);
    upstream_pool_ = attempt.keep_alive ? std::move(attempt.pool) : nullptr;
    framing_.emplace(attempt.framing, attempt.content_length);
    raw_ = std::move(attempt.initial_bytes);
    last_upstream_ = loop_->now();
    phase_ = Phase::Relaying;
}

void RelayJob::watch_upstream(uint32_t interest) {
    if (!upstream_watched_) loop_->watch(upstream_->fd(), interest, this);
    else if (interest != upstream_interest_) loop_->rewatch(upstream_->fd(), interest, this);
    upstream_watched_ = true;
    upstream_interest_ = interest;
}

void RelayJob::close_upstream() {
    if (!upstream_) return;
    if (upstream_watched_) loop_->unwatch(upstream_->fd());
    upstream_watched_ = false;
    if (upstream_pool_ && framing_ && framing_->ended_cleanly()) upstream_->give_back(*upstream_pool_);
    else upstream_->close();
    upstream_.reset();
    upstream_pool_.reset();
}

// Runs `action`; a ProxyError (or anything else, as internal_error) fails the answer.
void RelayJob::guarded(void (RelayJob::*action)()) {
    try {
        (this->*action)();
    } catch (const ProxyError &e) {
        fail(e);
    } catch (const std::exception &e) {
        fail(ProxyError::of("internal_error", std::string("relaying the answer failed: ") + e.what()));
    }
}

void RelayJob::read_upstream() {
    if (!raw_.empty()) {
        relay(raw_);
        raw_.clear();
    }
    size_t budget = kReadBudget;
    uint32_t wait_for = EPOLLIN;
    while (phase_ == Phase::Relaying && upstream_ && !paused_ && budget > 0) {
        if (output_.unwritten() > kMaxUnwritten) {
            pause_upstream();
            break;
        }
        raw_.clear();
        const auto read = upstream_->read(raw_, kReadSize);
        if (read == UpstreamReader::Read::Data) {
            last_upstream_ = loop_->now();
            budget -= std::min(budget, raw_.size());
            relay(raw_);
            if (upstream_ && upstream_->drained()) break;  // epoll reports the next bytes
            continue;
        }
        if (read == UpstreamReader::Read::End) {
            close_upstream();
            end_of_body();
            break;
        }
        if (read == UpstreamReader::Read::WantWrite) wait_for = EPOLLOUT;
        break;
    }
    // The upstream is watched only once the job has to wait for it: an answer that arrived whole
    // with the response head never registers its socket.
    if (phase_ == Phase::Relaying && upstream_ && !paused_) watch_upstream(wait_for);
    raw_.clear();
    flush();
}

// Removes the HTTP framing from raw upstream bytes and hands the body to the answer.
void RelayJob::relay(std::string_view raw) {
    body_.clear();
    framing_->feed(raw, body_);
    if (!body_.empty()) {
        if (answer_done_) {  // more than the answer: the connection is not worth keeping
            upstream_pool_.reset();
            complete(answered());
            return;
        }
        apply(answer_->on_body(body_));
    }
    if (phase_ == Phase::Relaying && framing_->finished()) end_of_body();
}

// The attempt's body is complete: the answer must finish or ask for another attempt.
void RelayJob::end_of_body() {
    if (answer_done_) {
        complete(answered());
        return;
    }
    const RelayStep step = answer_->on_body_end();
    if (step == RelayStep::Continue)
        throw ProxyError::of("upstream_malformed_response", "Venice upstream ended the answer early");
    apply(step);
}

void RelayJob::apply(RelayStep step) {
    if (output_.gone()) {
        client_gone();
        return;
    }
    if (phase_ != Phase::Relaying) return;
    switch (step) {
    case RelayStep::Continue: return;
    case RelayStep::Finished:
        end_answer();
        // A reusable connection is read to the end of the response body first (the last chunk
        // usually follows the answer's last event at once; a client that hangs up meanwhile does
        // not stop it, see client_gone). The client's answer ends after it, so a client that reads
        // to the end finds the connection back in the pool for its next request.
        if (upstream_pool_ && framing_ && !framing_->finished()) {
            answer_done_ = true;
            last_upstream_ = loop_->now();
            return;
        }
        complete(answered());
        return;
    case RelayStep::NextAttempt: open_next(); return;
    case RelayStep::Settle: settle(); return;
    }
}

// The body ended and the answer is held: the answer's check runs off the loop.
void RelayJob::settle() {
    RelayedAnswer *answer = answer_.get();
    off_loop([answer](OpenResult &) { answer->settle(); }, &RelayJob::on_settled);
}

void RelayJob::on_settled(OpenResult &result) {
    phase_ = Phase::Relaying;
    if (cut_) {
        cut();
        return;
    }
    if (output_.gone()) {
        complete(client_left());
        return;
    }
    if (result.error) {
        fail(*result.error);
        return;
    }
    try {
        answer_->release();
    } catch (const ProxyError &e) {
        fail(e);
        return;
    }
    complete(answered());
}

void RelayJob::open_next() {
    RelayedAnswer *answer = answer_.get();
    off_loop(
        [answer](OpenResult &result) {
            try {
                result.attempt = answer->open_next_attempt();
            } catch (const ProxyError &) {
                throw;
            } catch (const std::exception &e) {
                throw ProxyError::of("upstream_unavailable", std::string("Venice upstream is unavailable: ") + e.what());
            }
        },
        &RelayJob::on_opened);
}

// The Opening phase: the upstream is closed, `work` runs on a blocking-task thread (no idle
// timeout meanwhile; a cut or a client that left waits for `then`), and `then` gets its result —
// a ProxyError it threw, anything else as internal_error — on the loop.
void RelayJob::off_loop(std::function<void(OpenResult &)> work, void (RelayJob::*then)(OpenResult &)) {
    close_upstream();
    phase_ = Phase::Opening;
    flush();
    EventLoop *loop = loop_;
    pump_->blocking_tasks().submit([this, loop, work = std::move(work), then] {
        auto result = std::make_shared<OpenResult>();
        try {
            work(*result);
        } catch (const ProxyError &e) {
            result->error = e;
        } catch (const std::exception &e) {
            result->error = ProxyError::of("internal_error", std::string("relaying the answer failed: ") + e.what());
        }
        loop->post([this, result, then] { (this->*then)(*result); });
    });
}

void RelayJob::on_opened(OpenResult &result) {
    if (cut_ || output_.gone()) {
        result.attempt.reset();
        phase_ = Phase::Relaying;  // the attempt is abandoned
        if (cut_) cut();
        else complete(client_left());
        return;
    }
    if (result.error) {
        phase_ = Phase::Relaying;
        fail(*result.error);
        return;
    }
    try {
        install(std::move(*result.attempt));
        answer_->on_next_attempt();
    } catch (const ProxyError &e) {
        fail(e);
        return;
    } catch (const std::exception &e) {
        fail(ProxyError::of("internal_error", std::string("relaying the answer failed: ") + e.what()));
        return;
    }
    guarded(&RelayJob::read_upstream);
}

void RelayJob::fail(const ProxyError &error) {
    if (phase_ == Phase::Flushing || phase_ == Phase::Idle || phase_ == Phase::Finished) return;
    if (answer_done_) {  // the answer is whole; only the connection's reuse is lost
        upstream_pool_.reset();
        complete(answered());
        return;
    }
    close_upstream();
    if (output_.gone()) {
        complete(client_left());
        return;
    }
    if (output_.started()) output_.error_event(error);
    else output_.error_response(error);
    complete(RelayOutcome{false, error.status(), error.code(), false});
}

void RelayJob::complete(RelayOutcome outcome) {
    if (phase_ == Phase::Flushing || phase_ == Phase::Idle || phase_ == Phase::Finished) return;
    close_upstream();
    outcome_ = std::move(outcome);
    if (output_.gone() && !outcome_.client_gone) outcome_ = client_left();
    phase_ = Phase::Flushing;
    end_answer();
    output_.end();
    flush();
}

// The answer's last output is queued and none of it written yet: the answer gives back what it
// holds for its caller (RelayedAnswer::ending), once.
void RelayJob::end_answer() {
    if (answer_ended_) return;
    answer_ended_ = true;
    answer_->ending();
}

void RelayJob::client_gone() {
    output_.mark_gone();
    unwatch_client();
    // The whole answer was handed over; only the upstream's last chunk is awaited (bounded by
    // kTailWait): reading it keeps the connection for the next request.
    if (answer_done_ && phase_ == Phase::Relaying) return;
    close_upstream();
    if (phase_ == Phase::Opening) return;  // on_opened / on_settled completes
    if (phase_ == Phase::Flushing) {
        outcome_ = client_left();
        finalize();
        return;
    }
    complete(client_left());
}

void RelayJob::flush() {
    if (phase_ == Phase::Finished || phase_ == Phase::Idle) return;
    while (output_.unwritten() > 0 && !output_.gone()) {
        const ssize_t n = client_.send(output_.pending().data() + output_.write_offset(), output_.unwritten());
        if (n > 0) {
            output_.consumed(static_cast<size_t>(n));
            stalled_since_.reset();
            continue;
        }
        if (n == 0) {
            if (!stalled_since_) stalled_since_ = loop_->now();
            break;
        }
        client_gone();
        return;
    }
    if (output_.gone() || output_.unwritten() == 0) stalled_since_.reset();
    if (phase_ == Phase::Flushing && (output_.unwritten() == 0 || output_.gone())) {
        finalize();
        return;
    }
    update_client_interest();
    if (paused_ && output_.unwritten() < kResume) resume_upstream();
}

void RelayJob::pause_upstream() {
    paused_ = true;
    pump_->count_pause(true);
    if (upstream_watched_) loop_->unwatch(upstream_->fd());
    upstream_watched_ = false;
}

void RelayJob::resume_upstream() {
    paused_ = false;
    pump_->count_pause(false);
    if (phase_ != Phase::Relaying || !upstream_) return;
    watch_upstream(EPOLLIN);
    // TLS may hold decrypted bytes the socket no longer signals: read now.
    loop_->post([this] {
        if (phase_ == Phase::Relaying && !paused_) guarded(&RelayJob::read_upstream);
    });
}

void RelayJob::unwatch_client() {
    if (client_watched_) loop_->unwatch(client_fd_);
    client_watched_ = false;
}

void RelayJob::update_client_interest() {
    if (!client_watched_) return;
    const uint32_t wanted = (client_half_closed_ ? 0u : kClientBase) | (output_.unwritten() > 0 ? EPOLLOUT : 0u);
    if (wanted == client_interest_) return;
    loop_->rewatch(client_fd_, wanted, this);
    client_interest_ = wanted;
}

void RelayJob::on_ready(int fd, uint32_t events) {
    if (phase_ == Phase::Finished) return;
    if (phase_ == Phase::Idle) {
        if ((events & EPOLLIN) && !(events & (EPOLLERR | EPOLLHUP))) hand_back();
        else close_idle();  // closed (or reset) without a next request
        return;
    }
    if (fd == client_fd_) {
        if (events & (EPOLLHUP | EPOLLERR)) {
            client_gone();
            return;
        }
        if (events & EPOLLRDHUP) {
            // Half-closed or gone? A comment line on a started stream tells: a client that is gone
            // answers it with a reset (EPOLLERR), one that only half-closed reads on.
            client_half_closed_ = true;
            if (output_.comment()) flush();
            else update_client_interest();
            return;
        }
        if (events & EPOLLOUT) flush();
        return;
    }
    if (upstream_ && fd == upstream_->fd() && phase_ == Phase::Relaying) guarded(&RelayJob::read_upstream);
}

void RelayJob::on_tick(Clock::time_point now) {
    if (phase_ == Phase::Finished) return;
    if (phase_ == Phase::Idle) {
        if (now - idle_since_ > keep_alive_timeout_) close_idle();
        return;
    }
    if (stalled_since_ && now - *stalled_since_ > send_timeout_) {
        client_gone();
        return;
    }
    if (phase_ == Phase::Relaying && answer_done_ && now - last_upstream_ > kTailWait) {
        upstream_pool_.reset();
        complete(answered());
        return;
    }
    if (phase_ == Phase::Relaying && !paused_ && now - last_upstream_ > idle_timeout_)
        fail(ProxyError::of("upstream_stream_error", "Venice upstream stream was idle for longer than the request timeout"));
}

void RelayJob::cut() {
    if (phase_ == Phase::Finished) return;
    if (phase_ == Phase::Idle) {
        close_idle();
        return;
    }
    cut_ = true;
    if (phase_ == Phase::Opening) return;  // on_opened fails the answer
    fail(ProxyError::of("server_draining", "the proxy is shutting down"));
    if (phase_ != Phase::Finished) {
        output_.mark_gone();
        finalize();
    }
}

void RelayJob::finalize() {
    if (phase_ == Phase::Finished || phase_ == Phase::Idle) return;
    if (paused_) {
        paused_ = false;
        pump_->count_pause(false);
    }
    close_upstream();
    answer_->finish(outcome_);
    if (keep_alive_ != nullptr && !cut_ && !client_half_closed_ && client_watched_ && output_.reusable() &&
        wait_for_next_request())
        return;
    phase_ = Phase::Finished;
    loop_->remove_ticker(this);
    unwatch_client();
    client_.close();
    pump_->retire(this);
}

// The answer is complete on a connection whose head said keep-alive: the socket waits on this
// loop for the client's next request (its first bytes, a close, or server.keep_alive_timeout).
// False when as many connections wait as the pump allows, or it cannot be watched for that; the
// connection is closed then.
bool RelayJob::wait_for_next_request() {
    try {
        loop_->rewatch(client_fd_, EPOLLIN | EPOLLRDHUP, this);
    } catch (const std::exception &) {
        return false;
    }
    client_interest_ = EPOLLIN | EPOLLRDHUP;
    if (!pump_->keep_alive()) return false;
    phase_ = Phase::Idle;
    kept_alive_ = true;
    idle_since_ = loop_->now();
    // Nothing of the answer is kept while the connection waits.
    answer_.reset();
    output_ = ClientOutput();
    framing_.reset();
    std::string().swap(raw_);
    std::string().swap(body_);
    return true;
}

// The next request has begun to arrive: the HTTP server reads and routes it.
void RelayJob::hand_back() {
    unwatch_client();
    Poco::Net::StreamSocket socket;
    try {
        socket = client_.release();
    } catch (const Poco::Exception &) {
        client_.close();
        end_idle();
        return;
    }
    end_idle();
    keep_alive_->take_back(std::move(socket));
}

void RelayJob::close_idle() {
    unwatch_client();
    client_.close();
    end_idle();
}

void RelayJob::end_idle() {
    phase_ = Phase::Finished;
    loop_->remove_ticker(this);
    pump_->retire(this);
}

}  // namespace vep::host
