// See key_limiter.hpp.
#include "limits/key_limiter.hpp"

#include <algorithm>
#include <cmath>

namespace vep::host {

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
    if (max == 0) return StreamSlot{};
    std::lock_guard lock(mutex_);
    State &s = states_[id];
    if (s.streams >= max) return std::nullopt;
    ++s.streams;
    return StreamSlot(this, id);
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
