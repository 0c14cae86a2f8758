// See connection_watch.hpp.
#include "http/connection_watch.hpp"

#include <sys/socket.h>

#include <algorithm>
#include <vector>

#include "net/close_quietly.hpp"

namespace vep::host {
namespace {

constexpr std::chrono::milliseconds kLinger{500};
constexpr std::chrono::seconds kHousekeeping{5};

}  // namespace

ConnectionWatch::ConnectionWatch(std::chrono::milliseconds read_timeout, std::function<void()> housekeeping)
    : read_timeout_(read_timeout), housekeeping_(std::move(housekeeping)) {
    thread_ = std::thread([this] { run(); });
}

ConnectionWatch::~ConnectionWatch() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    thread_.join();
}

void ConnectionWatch::enter(int fd, const void *owner) {
    std::lock_guard lock(mutex_);
    open_[fd] = owner;
}

void ConnectionWatch::leave(int fd, const void *owner) {
    std::lock_guard lock(mutex_);
    if (const auto it = open_.find(fd); it != open_.end() && it->second == owner) open_.erase(it);
    if (const auto it = deadlines_.find(fd); it != deadlines_.end() && it->second.owner == owner) deadlines_.erase(it);
}

void ConnectionWatch::stop_all() {
    stopping_connections_.store(true);
    std::lock_guard lock(mutex_);
    for (const auto &[fd, owner] : open_) ::shutdown(fd, SHUT_RDWR);
}

void ConnectionWatch::arm(int fd, const void *owner, Clock::time_point deadline) {
    std::lock_guard lock(mutex_);
    deadlines_[fd] = Deadline{owner, deadline, false};
    due_by(deadline);
}

void ConnectionWatch::disarm(int fd, const void *owner) {
    std::lock_guard lock(mutex_);
    const auto it = deadlines_.find(fd);
    if (it != deadlines_.end() && it->second.owner == owner) deadlines_.erase(it);
}

bool ConnectionWatch::expired(int fd, const void *owner) const {
    std::lock_guard lock(mutex_);
    const auto it = deadlines_.find(fd);
    return it != deadlines_.end() && it->second.owner == owner && it->second.expired;
}

void ConnectionWatch::linger_close(Poco::Net::StreamSocket socket) {
    std::lock_guard lock(mutex_);
    lingering_.emplace_back(Clock::now() + kLinger, std::move(socket));
    due_by(lingering_.back().first);
}

void ConnectionWatch::due_by(Clock::time_point at) {
    if (at >= wake_at_ || woken_early_) return;
    woken_early_ = true;
    wake_.notify_one();
}

ConnectionWatch::Clock::time_point ConnectionWatch::next_due(Clock::time_point housekeeping) const {
    Clock::time_point next = housekeeping;
    for (const auto &[fd, deadline] : deadlines_)
        if (!deadline.expired) next = std::min(next, deadline.at);
    if (!lingering_.empty()) next = std::min(next, lingering_.front().first);
    return next;
}

size_t ConnectionWatch::lingering() const {
    std::lock_guard lock(mutex_);
    return lingering_.size();
}

void ConnectionWatch::run() {
    auto next_housekeeping = Clock::now() + kHousekeeping;
    std::unique_lock lock(mutex_);
    for (;;) {
        wake_at_ = next_due(next_housekeeping);
        wake_.wait_until(lock, wake_at_, [this] { return stopping_ || woken_early_; });
        if (stopping_) return;
        woken_early_ = false;
        const auto now = Clock::now();
        for (auto &[fd, deadline] : deadlines_) {
            if (deadline.expired || now < deadline.at) continue;
            deadline.expired = true;
            ::shutdown(fd, SHUT_RD);  // the worker's blocked read returns at once
        }
        std::vector<Poco::Net::StreamSocket> closing;
        while (!lingering_.empty() && lingering_.front().first <= now) {
            closing.push_back(std::move(lingering_.front().second));
            lingering_.pop_front();
        }
        if (closing.empty() && now < next_housekeeping) continue;
        lock.unlock();
        for (auto &socket : closing) close_quietly(socket);
        if (now >= next_housekeeping) {
            if (housekeeping_) housekeeping_();
            next_housekeeping = now + kHousekeeping;
        }
        lock.lock();
    }
}

}  // namespace vep::host
