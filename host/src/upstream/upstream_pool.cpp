// See upstream_pool.hpp.
#include "upstream/upstream_pool.hpp"

#include <poll.h>
#include <sys/socket.h>

#include "net/close_quietly.hpp"

namespace vep::host {

UpstreamPool::UpstreamPool(uint32_t max_idle, Duration idle_timeout, UpstreamCounters *counters)
    : max_idle_(max_idle),
      idle_timeout_(idle_timeout),
      own_counters_(counters ? nullptr : std::make_unique<UpstreamCounters>()),
      counters_(counters ? counters : own_counters_.get()) {}

UpstreamPool::~UpstreamPool() {
    for (auto &idle : idle_) close_quietly(idle.socket);
}

// An idle keep-alive connection has nothing to read: readable means the upstream closed it (or
// broke the protocol by sending unasked bytes); either way it cannot carry a request.
bool UpstreamPool::still_open(const Poco::Net::StreamSocket &socket) {
    pollfd p{socket.impl()->sockfd(), POLLIN, 0};
    const int ready = ::poll(&p, 1, 0);
    return ready == 0;
}

std::optional<Poco::Net::StreamSocket> UpstreamPool::take() {
    const auto now = Clock::now();
    std::deque<Idle> expired;
    std::optional<Poco::Net::StreamSocket> found;
    {
        std::lock_guard lock(mutex_);
        while (!idle_.empty()) {
            Idle last = std::move(idle_.back());
            idle_.pop_back();
            if (fresh(last, now) && still_open(last.socket)) {
                found = std::move(last.socket);
                break;
            }
            expired.push_back(std::move(last));
        }
        while (!idle_.empty() && !fresh(idle_.front(), now)) {
            expired.push_back(std::move(idle_.front()));
            idle_.pop_front();
        }
    }
    drop(expired);
    if (found) counters_->reused.fetch_add(1, std::memory_order_relaxed);
    return found;
}

size_t UpstreamPool::sweep() {
    const auto now = Clock::now();
    std::deque<Idle> expired;
    {
        std::lock_guard lock(mutex_);
        std::deque<Idle> kept;
        for (auto &entry : idle_) {
            if (fresh(entry, now) && still_open(entry.socket)) kept.push_back(std::move(entry));
            else expired.push_back(std::move(entry));
        }
        idle_.swap(kept);
    }
    drop(expired);
    return expired.size();
}

void UpstreamPool::drop(std::deque<Idle> &expired) {
    counters_->dropped.fetch_add(expired.size(), std::memory_order_relaxed);
    for (auto &e : expired) close_quietly(e.socket);
}

void UpstreamPool::give_back(Poco::Net::StreamSocket socket) {
    if (max_idle_ == 0) {
        close_quietly(socket);
        return;
    }
    std::optional<Idle> evicted;
    {
        std::lock_guard lock(mutex_);
        if (idle_.size() >= max_idle_) {
            evicted = std::move(idle_.front());
            idle_.pop_front();
        }
        idle_.push_back(Idle{std::move(socket), Clock::now()});
    }
    if (evicted) close_quietly(evicted->socket);
}

Poco::Net::Session::Ptr UpstreamPool::tls_session() const {
    std::lock_guard lock(mutex_);
    return tls_session_;
}

void UpstreamPool::remember_tls_session(Poco::Net::Session::Ptr session) {
    if (!session) return;
    std::lock_guard lock(mutex_);
    tls_session_ = std::move(session);
}

size_t UpstreamPool::idle() const {
    std::lock_guard lock(mutex_);
    return idle_.size();
}

}  // namespace vep::host
