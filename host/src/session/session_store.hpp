// SessionStore: agent sessions, with the reference proxy's session bugs fixed.
//
// Owns: the bounded session table keyed by (model, agent session id) — no ambiguous "model:id"
// strings —, expiry by idle TTL, max TTL, request budget and attestation freshness,
// least-recently-used eviction beyond session.max_sessions, and a sweeper thread that removes
// expired sessions on a timer (not only when a request arrives) and hands the freed memory back.
// Memory bound: a session holds its model id and agent id (each at most 256 bytes, see
// openai/chat_request_parser.hpp and session/session_id.hpp, and stored twice: key and record),
// a client key pair when keys are per session, and its attestation record — about 10 KiB in all
// against venice-sim's evidence (5,000 sessions: 49 MiB, docs/benchmarks.md) — so the table
// holds at most session.max_sessions x that. One store per
// configuration generation; the session stage calls acquire() once per chat request; the attest
// stage fills Session::attested under Session::attest_mutex so concurrent first requests fetch
// attestation once.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>

#include "config/config.hpp"
#include "stats/proxy_stats.hpp"
#include "vep/client.hpp"
#include "vep/json.hpp"

namespace vep::host {

using Clock = std::chrono::system_clock;

// The verified attestation of one model, as stored in a session.
struct AttestedModel {
    std::string model_public_key;  // 130 lowercase hex
    json::Value report;            // merged verifier reports
    Clock::time_point verified_at;
    std::optional<Clock::time_point> not_after;  // evidence freshness, when stated
};

enum class SessionScope { Agent, Request };

// One agent session.
struct Session {
    std::string model;
    std::string agent_id;
    SessionScope scope = SessionScope::Request;
    Clock::time_point created_at;
    Clock::time_point last_used_at;
    Clock::time_point expires_at;
    uint64_t request_count = 0;
    std::mutex attest_mutex;                      // single flight for attestation
    std::shared_ptr<const AttestedModel> attested;  // guarded by attest_mutex
    // keys.client_key_scope = "session": this session's own client key pair.
    std::shared_ptr<const vep::client::CipherClient::Key> client_key;
};

class SessionStore {
  public:
    // Starts the sweeper, which runs every sweep_interval(config). `counters` (may be null) count
    // the sessions evicted to make room.
    explicit SessionStore(const SessionConfig &config, SessionCounters *counters = nullptr);
    // Stops and joins the sweeper.
    ~SessionStore();
    SessionStore(const SessionStore &) = delete;
    SessionStore &operator=(const SessionStore &) = delete;

    // Finds the live session for (model, agent_id) or starts a new one (expired ones are
    // replaced), counts this request against it and returns it.
    std::shared_ptr<Session> acquire(const std::string &model, const std::string &agent_id, SessionScope scope,
                                     Clock::time_point now);
    // Clamps the session's lifetime to the attestation's freshness (called after attesting).
    void clamp_to_freshness(Session &session, const AttestedModel &attested);
    // Removes every expired session; returns how many were removed.
    size_t sweep(Clock::time_point now);
    size_t size() const;

    // How often the sweeper runs: half the idle TTL, between 1 s and 30 s.
    static std::chrono::milliseconds sweep_interval(const SessionConfig &config);

  private:
    bool expired(const Session &s, Clock::time_point now) const;
    void make_room(Clock::time_point now);
    // mutex_ held: erases the expired sessions, returns how many.
    size_t remove_expired(Clock::time_point now);
    void run_sweeper();

    SessionConfig config_;
    SessionCounters *counters_;
    mutable std::mutex mutex_;
    std::map<std::pair<std::string, std::string>, std::shared_ptr<Session>> sessions_;
    std::condition_variable stop_signal_;
    bool stopping_ = false;  // guarded by mutex_
    std::thread sweeper_;
};

}  // namespace vep::host
