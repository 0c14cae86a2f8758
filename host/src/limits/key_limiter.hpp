// KeyLimiter: the per-client-key limits — requests per minute (a token bucket: a full minute's
// worth may come at once, then they refill evenly), chat answers open at once, and a daily budget
// of completion tokens (a UTC day; an answer is charged when it ends, so the answer that crosses
// the budget completes and the next request is refused). One per process, keyed by key id, so
// limits hold across worker and relay threads and survive a reload. Owned by the ProxyServer; the
// request guard takes a request token for every authenticated request and checks the budget, the
// chat handler takes a stream slot, which the chat exchange holds until it ends and charges.
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace vep::host {

class KeyLimiter {
  public:
    using Clock = std::chrono::steady_clock;
    using WallClock = std::chrono::system_clock;

    // An open answer of one key: holds its stream slot (when the key has a stream limit), given
    // back when destroyed, and charges the answer's completion tokens to the key. Movable; an
    // empty one (no key) does neither.
    class StreamSlot {
      public:
        StreamSlot() = default;
        StreamSlot(KeyLimiter *limiter, std::string id, bool counted)
            : limiter_(limiter), id_(std::move(id)), counted_(counted) {}
        StreamSlot(StreamSlot &&other) noexcept
            : limiter_(other.limiter_), id_(std::move(other.id_)), counted_(other.counted_) {
            other.limiter_ = nullptr;
        }
        StreamSlot &operator=(StreamSlot &&other) noexcept {
            if (this != &other) {
                release();
                limiter_ = other.limiter_;
                id_ = std::move(other.id_);
                counted_ = other.counted_;
                other.limiter_ = nullptr;
            }
            return *this;
        }
        StreamSlot(const StreamSlot &) = delete;
        StreamSlot &operator=(const StreamSlot &) = delete;
        ~StreamSlot() { release(); }

        // Adds `completion_tokens` to the key's spending today.
        void charge(uint64_t completion_tokens) const {
            if (limiter_ && completion_tokens > 0) limiter_->charge(id_, completion_tokens, WallClock::now());
        }

      private:
        void release() {
            if (limiter_ && counted_) limiter_->release_stream(id_);
            limiter_ = nullptr;
        }
        KeyLimiter *limiter_ = nullptr;
        std::string id_;
        bool counted_ = false;
    };

    // One request of key `id` with `per_minute` allowed (0 = no limit): nullopt when admitted,
    // else the whole seconds until a request will be (for Retry-After).
    std::optional<uint32_t> take_request(const std::string &id, uint32_t per_minute, Clock::time_point now);
    // An open-answer slot of key `id` with `max` allowed (0 = no limit); nullopt at the limit.
    std::optional<StreamSlot> take_stream(const std::string &id, uint32_t max);
    uint32_t open_streams(const std::string &id) const;
    // Whether key `id` spent its `daily_budget` (0 = none) of completion tokens today: nullopt
    // while some remain, else the whole seconds until the next UTC day (for Retry-After).
    std::optional<uint32_t> budget_spent(const std::string &id, uint64_t daily_budget, WallClock::time_point now) const;
    void charge(const std::string &id, uint64_t completion_tokens, WallClock::time_point now);
    uint64_t spent_today(const std::string &id, WallClock::time_point now) const;

  private:
    struct State {
        double tokens = 0;
        Clock::time_point refilled{};
        bool started = false;
        uint32_t streams = 0;
        int64_t day = 0;  // the UTC day `spent` counts (days since the epoch)
        uint64_t spent = 0;
    };
    void release_stream(const std::string &id);

    mutable std::mutex mutex_;
    std::unordered_map<std::string, State> states_;
};

}  // namespace vep::host
