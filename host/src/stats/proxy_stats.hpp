// ProxyStats: the process-wide counters of the proxy, one home for every number an operator can
// read. Fed by the router guard (requests by route, status and error code; requests in flight),
// the pipeline's single completion point (chat outcomes by client key and model, time to first
// byte, durations, tool-emulation outcomes), the relay (answers open and paused), the attestation
// service (verdicts, fetch latency), the session stores (evictions), the Venice client and its
// connection pool (connect and TLS handshake time, connections opened, reused, resumed, dropped) and the application (configuration generation and reloads); read by
// /healthz and the /metrics exposition. Survives reloads (owned by the application). Scalars are
// relaxed atomics and histograms lock-free; labeled families take a short lock once per request.
#pragma once

#include <atomic>
#include <cstdint>

#include "stats/histogram.hpp"
#include "stats/labeled_counters.hpp"

namespace vep::host {

// Label caps: distinct client key ids and model names kept as label values (the rest are "other"),
// and series per labeled family.
inline constexpr size_t kMaxKeyLabels = 100;
inline constexpr size_t kMaxModelLabels = 50;
inline constexpr size_t kMaxSeries = 2000;

// Every request the router answered, by route (the route's path, "other" for unknown paths),
// HTTP status and error code ("" when it succeeded).
struct RequestCounters {
    LabeledCounters by_route{{"route", "status", "code"}, kMaxSeries};
};

// How chat exchanges ended and how many upstream attempts they took; by client key and model
// (outcome "succeeded", "failed" or "client_gone"); chunks relayed and decryption failures; time
// to the first byte handed to the client and the whole answer's duration (label stream).
struct ChatCounters {
    std::atomic<uint64_t> succeeded{0};
    std::atomic<uint64_t> failed{0};
    std::atomic<uint64_t> client_gone{0};
    std::atomic<uint64_t> upstream_attempts{0};
    std::atomic<uint64_t> tool_retries{0};
    std::atomic<uint64_t> reattestations{0};  // exchanges whose session was attested anew (key refused, max_age)
    std::atomic<uint64_t> tee_only{0};        // exchanges of models the operator configured tee-only (no E2EE)
    std::atomic<uint64_t> chunks_relayed{0};
    std::atomic<uint64_t> decrypt_failures{0};
    LabeledCounters by_key_model{{"key", "model", "outcome"}, kMaxSeries};
    LabelValues keys{kMaxKeyLabels};
    LabelValues models{kMaxModelLabels};
    Histogram ttfb_streamed{latency_buckets()};
    Histogram ttfb_buffered{latency_buckets()};
    Histogram duration_streamed{duration_buckets()};
    Histogram duration_buffered{duration_buckets()};
};

// Tool-call emulation, by tool format: "parsed" (a valid answer on the first attempt),
// "corrected" (valid after one or more correction retries), "failed" (invalid_tool_call).
struct ToolCounters {
    LabeledCounters outcomes{{"format", "outcome"}, 200};
};

// Attestation rounds: every check's result by verifier, check and outcome ("pass" or "fail"),
// rounds by outcome ("verified" or "rejected") and error code, and the evidence fetch latency.
struct AttestationCounters {
    LabeledCounters checks{{"verifier", "check", "outcome"}, 500};
    LabeledCounters rounds{{"outcome", "code"}, 100};
    Histogram fetch_seconds{latency_buckets()};
    // Receipt checks (attestation.receipts): by mode (audit, require) and outcome (verified,
    // failed, fetch_failed, skipped) — bounded labels, never a request id.
    LabeledCounters receipts{{"mode", "outcome"}, 16};
};

// Sessions removed before their time: evicted (least recently used, beyond session.max_sessions).
struct SessionCounters {
    std::atomic<uint64_t> evicted{0};
};

// Upstream connections: TCP connect and TLS handshake durations, and the connection pool's
// traffic (kept here, not in the pool, so they survive the reload that replaces the pool).
struct UpstreamCounters {
    Histogram connect_seconds{connect_buckets()};
    Histogram tls_handshake_seconds{connect_buckets()};
    std::atomic<uint64_t> opened{0};   // new connections (TCP connect, TLS handshake)
    std::atomic<uint64_t> reused{0};   // requests sent on a pooled connection
    std::atomic<uint64_t> resumed{0};  // new TLS connections that resumed a session
    std::atomic<uint64_t> dropped{0};  // pooled connections found closed or expired, or failed when sending
};

// The configuration: the generation serving (1 at start-up, +1 per reload that took effect),
// reloads that took effect and reloads refused.
struct ConfigCounters {
    std::atomic<uint64_t> generation{0};
    std::atomic<uint64_t> reloads{0};
    std::atomic<uint64_t> reload_failures{0};
};

// The relay's load: answers being relayed now, client connections kept alive after their answer
// (waiting for the next request), answers whose upstream reads are paused because their client
// does not read, and how many pauses there have been.
struct RelayCounters {
    std::atomic<uint64_t> open{0};
    std::atomic<uint64_t> kept_alive{0};  // connections waiting on the relay for their next request
    std::atomic<uint64_t> paused{0};
    std::atomic<uint64_t> pauses{0};
};

struct ProxyStats {
    std::atomic<int64_t> requests_in_flight{0};
    RequestCounters requests;
    ChatCounters chat;
    ToolCounters tools;
    RelayCounters relay;
    AttestationCounters attestation;
    SessionCounters sessions;
    UpstreamCounters upstream;
    ConfigCounters config;
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
    // Whether this object still counts the request (false once moved on, e.g. to the pipeline).
    bool counting() const { return stats_ != nullptr; }

  private:
    void release() {
        if (stats_) stats_->requests_in_flight.fetch_sub(1);
        stats_ = nullptr;
    }
    ProxyStats *stats_ = nullptr;
};

}  // namespace vep::host
