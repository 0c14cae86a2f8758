// ProxyStats: the process-wide counters of the proxy, one home for every number an operator can
// read. Fed by the pipeline's single completion point (chat outcomes, upstream attempts, tool
// retries), by the relay (answers open, paused, pauses) and by the router guard (requests in
// flight); read by /healthz today and by /metrics next. Survives reloads (owned by the
// application); every member is a relaxed atomic, so any thread may update or read it.
#pragma once

#include <atomic>
#include <cstdint>

namespace vep::host {

// How chat exchanges ended and how many upstream attempts they took.
struct ChatCounters {
    std::atomic<uint64_t> succeeded{0};
    std::atomic<uint64_t> failed{0};
    std::atomic<uint64_t> client_gone{0};
    std::atomic<uint64_t> upstream_attempts{0};
    std::atomic<uint64_t> tool_retries{0};
    // Exchanges of models the operator configured tee-only (sent to Venice without E2EE).
    std::atomic<uint64_t> tee_only{0};
};

// The relay's load: answers being relayed now, those whose upstream reads are paused because
// their client does not read, and how many pauses there have been.
struct RelayCounters {
    std::atomic<uint64_t> open{0};
    std::atomic<uint64_t> paused{0};
    std::atomic<uint64_t> pauses{0};
};

struct ProxyStats {
    std::atomic<int64_t> requests_in_flight{0};
    ChatCounters chat;
    RelayCounters relay;
};

// Counts one request in flight for its lifetime; movable, so it can travel with the request from
// the worker thread to the relay. Created by the router guard.
class InFlightRequest {
  public:
    InFlightRequest() = default;
    explicit InFlightRequest(ProxyStats &stats) : stats_(&stats) { stats_->requests_in_flight.fetch_add(1); }
    InFlightRequest(InFlightRequest &&other) noexcept : stats_(other.stats_) { other.stats_ = nullptr; }
    InFlightRequest &operator=(InFlightRequest &&other) noexcept {
        if (this != &other) {
            release();
            stats_ = other.stats_;
            other.stats_ = nullptr;
        }
        return *this;
    }
    InFlightRequest(const InFlightRequest &) = delete;
    InFlightRequest &operator=(const InFlightRequest &) = delete;
    ~InFlightRequest() { release(); }

  private:
    void release() {
        if (stats_) stats_->requests_in_flight.fetch_sub(1);
        stats_ = nullptr;
    }
    ProxyStats *stats_ = nullptr;
};

}  // namespace vep::host
