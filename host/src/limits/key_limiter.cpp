// See key_limiter.hpp.
#include "limits/key_limiter.hpp"

#include <algorithm>
#include <cmath>

namespace vep::host {
namespace {

constexpr int64_t kSecondsPerDay = 86400;

int64_t day_of(KeyLimiter::WallClock::time_point now) {
    return std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count() / kSecondsPerDay;
}

}  // namespace

std::optional<uint32_t> KeyLimiter::take_request(const std::string &id, uint32_t per_minute, Clock::time_point now) {
    if (per_minute == 0) return std::nullopt;
    std::lock_guard lock(mutex_);
    State &s = states_[id];
    const double capacity = per_minute;
    const double per_second = capacity / 60.0;
    if (!s.started) {
        s.tokens = capacity;
        s.refilled = now;
        s.started = true;
    }
    const double elapsed = std::chrono::duration<double>(now - s.refilled).count();
    s.tokens = std::min(capacity, s.tokens + std::max(0.0, elapsed) * per_second);
    s.refilled = now;
    if (s.tokens >= 1.0) {
        s.tokens -= 1.0;
        return std::nullopt;
    }
    return static_cast<uint32_t>(std::ceil((1.0 - s.tokens) / per_second));
}

std::optional<KeyLimiter::StreamSlot> KeyLimiter::take_stream(const std::string &id, uint32_t max) {
    if (max == 0) return StreamSlot(this, id, false);
    std::lock_guard lock(mutex_);
    State &s = states_[id];
    if (s.streams >= max) return std::nullopt;
    ++s.streams;
    return StreamSlot(this, id, true);
}

std::optional<uint32_t> KeyLimiter::budget_spent(const std::string &id, uint64_t daily_budget,
                                                 WallClock::time_point now) const {
    if (daily_budget == 0 || spent_today(id, now) < daily_budget) return std::nullopt;
    const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
    return static_cast<uint32_t>(kSecondsPerDay - seconds % kSecondsPerDay);
}

void KeyLimiter::charge(const std::string &id, uint64_t completion_tokens, WallClock::time_point now) {
    std::lock_guard lock(mutex_);
    State &s = states_[id];
    const int64_t today = day_of(now);
    if (s.day != today) {
        s.day = today;
        s.spent = 0;
    }
    s.spent += completion_tokens;
}

uint64_t KeyLimiter::spent_today(const std::string &id, WallClock::time_point now) const {
    std::lock_guard lock(mutex_);
    const auto it = states_.find(id);
    return it == states_.end() || it->second.day != day_of(now) ? 0 : it->second.spent;
}

uint32_t KeyLimiter::open_streams(const std::string &id) const {
    std::lock_guard lock(mutex_);
    const auto it = states_.find(id);
    return it == states_.end() ? 0 : it->second.streams;
}

void KeyLimiter::release_stream(const std::string &id) {
    std::lock_guard lock(mutex_);
    if (auto it = states_.find(id); it != states_.end() && it->second.streams > 0) --it->second.streams;
}

}  // namespace vep::host
