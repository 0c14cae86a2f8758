// UpstreamPool: idle keep-alive connections to the Venice origin, ready for the next request, and
// the latest TLS session for resuming new connections. Bounded (venice.pool_max_idle; the oldest
// idle connection goes first); a connection idle longer than venice.pool_idle_timeout, or that the
// upstream closed (or sent anything) while it sat idle, is closed instead of handed out, and by
// the periodic sweep when no request comes. Only
// connections whose response was read to its exact end are given back — by VeniceClient after a
// fetch and by the relay after an answer that ended cleanly; a failed or half-read one is closed
// by its holder. Thread-safe (request threads and relay loops). Shared by the VeniceClient and the
// UpstreamAttempts that may give their socket back, so it outlives a reload's last answer.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>

#include <Poco/Net/Session.h>
#include <Poco/Net/StreamSocket.h>

#include "config/config.hpp"
#include "stats/proxy_stats.hpp"

namespace vep::host {

class UpstreamPool {
  public:
    using Clock = std::chrono::steady_clock;

    // `counters` (the process-wide ProxyStats::upstream, which outlives every pool) receive the
    // pool's traffic and the connection set-up times; null: the pool keeps counters of its own.
    UpstreamPool(uint32_t max_idle, Duration idle_timeout, UpstreamCounters *counters);
    ~UpstreamPool();
    UpstreamPool(const UpstreamPool &) = delete;
    UpstreamPool &operator=(const UpstreamPool &) = delete;

    // The most recently idled connection that is still open and quiet; nullopt when none.
    std::optional<Poco::Net::StreamSocket> take();
    // A connection whose last response was read to its end, blocking mode restored by the caller.
    void give_back(Poco::Net::StreamSocket socket);
    // Closes the idle connections that expired or that the upstream closed, so they do not sit
    // in CLOSE-WAIT until the next request; how many. Called periodically by the HTTP server's
    // housekeeping.
    size_t sweep();

    // The TLS session to offer when opening a new connection (null: none yet).
    Poco::Net::Session::Ptr tls_session() const;
    void remember_tls_session(Poco::Net::Session::Ptr session);

    UpstreamCounters &counters() const { return *counters_; }
    size_t idle() const;

  private:
    struct Idle {
        Poco::Net::StreamSocket socket;
        Clock::time_point since;
    };
    static bool still_open(const Poco::Net::StreamSocket &socket);
    // Idle for no longer than the idle timeout at `now`.
    bool fresh(const Idle &entry, Clock::time_point now) const { return now - entry.since <= idle_timeout_; }
    // Closes connections taken out of the pool (outside its lock) and counts them as dropped.
    void drop(std::deque<Idle> &expired);

    const uint32_t max_idle_;
    const Duration idle_timeout_;
    mutable std::mutex mutex_;
    std::deque<Idle> idle_;  // oldest first
    Poco::Net::Session::Ptr tls_session_;
    std::unique_ptr<UpstreamCounters> own_counters_;  // only when no process-wide counters were given
    UpstreamCounters *counters_;
};

}  // namespace vep::host
