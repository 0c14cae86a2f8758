// SessionStore: agent sessions (seed-behaviour §6) with the reference's bugs fixed.
//
// Owns: the bounded session table keyed by (model, agent session id) — no ambiguous "model:id"
// strings (§14 item 14) —, expiry by idle TTL, max TTL, request budget and attestation freshness,
// least-recently-used eviction beyond session.max_sessions and periodic sweeping of expired
// entries (§14 item 2). One store per configuration generation; the session stage calls
// acquire() once per chat request; the attest stage fills Session::attested under
// Session::attest_mutex so concurrent first requests fetch attestation once (§14 item 22).
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>

#include "config/config.hpp"
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
    explicit SessionStore(const SessionConfig &config);

    // Finds the live session for (model, agent_id) or starts a new one (expired ones are
    // replaced), counts this request against it and returns it.
    std::shared_ptr<Session> acquire(const std::string &model, const std::string &agent_id, SessionScope scope,
                                     Clock::time_point now);
    // Clamps the session's lifetime to the attestation's freshness (called after attesting).
    void clamp_to_freshness(Session &session, const AttestedModel &attested);
    // Removes every expired session; returns how many were removed.
    size_t sweep(Clock::time_point now);
    size_t size() const;

  private:
    bool expired(const Session &s, Clock::time_point now) const;
    void make_room(Clock::time_point now);

    SessionConfig config_;
    mutable std::mutex mutex_;
    std::map<std::pair<std::string, std::string>, std::shared_ptr<Session>> sessions_;
    Clock::time_point last_sweep_{};
};

}  // namespace vep::host
