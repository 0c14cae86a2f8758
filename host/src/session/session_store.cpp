// See session_store.hpp.
#include "session/session_store.hpp"

#include <malloc.h>

#include <algorithm>

namespace vep::host {

SessionStore::SessionStore(const SessionConfig &config, SessionCounters *counters)
    : config_(config), counters_(counters) {
    sweeper_ = std::thread([this] { run_sweeper(); });
}

SessionStore::~SessionStore() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        stopping_ = true;
    }
    stop_signal_.notify_all();
    sweeper_.join();
}

std::chrono::milliseconds SessionStore::sweep_interval(const SessionConfig &config) {
    return std::clamp<std::chrono::milliseconds>(config.idle_ttl / 2, std::chrono::seconds(1), std::chrono::seconds(30));
}

void SessionStore::run_sweeper() {
    const auto interval = sweep_interval(config_);
    std::unique_lock<std::mutex> lock(mutex_);
    while (!stop_signal_.wait_for(lock, interval, [this] { return stopping_; })) {
        if (remove_expired(Clock::now()) > 0) {
            lock.unlock();
            malloc_trim(0);  // hand the freed session memory back to the system
            lock.lock();
        }
    }
}

bool SessionStore::expired(const Session &s, Clock::time_point now) const {
    return s.request_count >= config_.max_requests || now >= s.expires_at || now - s.last_used_at >= config_.idle_ttl;
}

void SessionStore::make_room(Clock::time_point now) {
    if (sessions_.size() < config_.max_sessions) return;
    remove_expired(now);
    while (sessions_.size() >= config_.max_sessions && !sessions_.empty()) {
        auto oldest = std::min_element(sessions_.begin(), sessions_.end(), [](const auto &a, const auto &b) {
            return a.second->last_used_at < b.second->last_used_at;
        });
        sessions_.erase(oldest);
        if (counters_) counters_->evicted.fetch_add(1, std::memory_order_relaxed);
    }
}

std::shared_ptr<Session> SessionStore::acquire(const std::string &model, const std::string &agent_id, SessionScope scope,
                                               Clock::time_point now) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto key = std::make_pair(model, agent_id);
    if (auto it = sessions_.find(key); it != sessions_.end()) {
        if (!expired(*it->second, now)) {
            it->second->request_count += 1;
            it->second->last_used_at = now;
            return it->second;
        }
        sessions_.erase(it);
    }
    make_room(now);
    auto session = std::make_shared<Session>();
    session->model = model;
    session->agent_id = agent_id;
    session->scope = scope;
    session->created_at = now;
    session->last_used_at = now;
    session->expires_at = now + config_.max_ttl;
    session->request_count = 1;
    sessions_.emplace(std::move(key), session);
    return session;
}

void SessionStore::clamp_to_freshness(Session &session, const AttestedModel &attested) {
    if (!attested.not_after) return;
    std::lock_guard<std::mutex> lock(mutex_);
    session.expires_at = std::min(session.expires_at, *attested.not_after);
}

size_t SessionStore::sweep(Clock::time_point now) {
    std::lock_guard<std::mutex> lock(mutex_);
    return remove_expired(now);
}

size_t SessionStore::remove_expired(Clock::time_point now) {
    size_t removed = 0;
    for (auto it = sessions_.begin(); it != sessions_.end();) {
        if (expired(*it->second, now)) {
            it = sessions_.erase(it);
            ++removed;
        } else {
            ++it;
        }
    }
    return removed;
}

size_t SessionStore::size() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return sessions_.size();
}

}  // namespace vep::host
