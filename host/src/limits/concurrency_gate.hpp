// ConcurrencyGate: counts chat requests in flight and refuses new ones above the limit, so that
// saturation answers 503 quickly instead of queueing silently. One per process (it survives
// reloads; the limit is updated from each new configuration). The `limits` stage acquires a slot
// per request and releases it when the request completes.
#pragma once

#include <atomic>
#include <cstdint>

namespace vep::host {

class ConcurrencyGate {
  public:
    void set_limit(uint32_t limit) { limit_.store(limit); }
    uint32_t limit() const { return limit_.load(); }
    // Takes a slot; false (nothing taken) when all slots are in use.
    bool try_acquire() {
        uint32_t current = active_.load();
        do {
            if (current >= limit_.load()) return false;
        } while (!active_.compare_exchange_weak(current, current + 1));
        return true;
    }
    void release() { active_.fetch_sub(1); }
    uint32_t active() const { return active_.load(); }

  private:
    std::atomic<uint32_t> limit_{0};
    std::atomic<uint32_t> active_{0};
};

}  // namespace vep::host
