// KeyLimiter: the per-client-key limits — requests per minute (a token bucket: a full minute's
// worth may come at once, then they refill evenly) and chat answers open at once. One per process,
// keyed by key id, so limits hold across worker and relay threads and survive a reload. Owned by
// the ProxyServer; the request guard takes a request token for every authenticated request and
// the chat handler a stream slot, which the chat exchange holds until it ends.
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

    // An open-answer slot of one key, given back when destroyed. Movable.
    class StreamSlot {
      public:
        StreamSlot() = default;
        StreamSlot(KeyLimiter *limiter, std::string id) : limiter_(limiter), id_(std::move(id)) {}
        StreamSlot(StreamSlot &&other) noexcept : limiter_(other.limiter_), id_(std::move(other.id_)) {
            other.limiter_ = nullptr;
        }
        StreamSlot &operator=(StreamSlot &&other) noexcept {
            if (this != &other) {
                release();
                limiter_ = other.limiter_;
                id_ = std::move(other.id_);
                other.limiter_ = nullptr;
            }
            return *this;
        }
        StreamSlot(const StreamSlot &) = delete;
        StreamSlot &operator=(const StreamSlot &) = delete;
        ~StreamSlot() { release(); }

      private:
        void release() {
            if (limiter_) limiter_->release_stream(id_);
            limiter_ = nullptr;
        }
        KeyLimiter *limiter_ = nullptr;
        std::string id_;
    };

    // One request of key `id` with `per_minute` allowed (0 = no limit): nullopt when admitted,
    // else the whole seconds until a request will be (for Retry-After).
    std::optional<uint32_t> take_request(const std::string &id, uint32_t per_minute, Clock::time_point now);
    // An open-answer slot of key `id` with `max` allowed (0 = no limit); nullopt at the limit.
    std::optional<StreamSlot> take_stream(const std::string &id, uint32_t max);
    uint32_t open_streams(const std::string &id) const;

  private:
    struct State {
        double tokens = 0;
        Clock::time_point refilled{};
        bool started = false;
        uint32_t streams = 0;
    };
    void release_stream(const std::string &id);

    mutable std::mutex mutex_;
    std::unordered_map<std::string, State> states_;
};

}  // namespace vep::host
