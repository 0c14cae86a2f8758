// ModelsCache: the mapped GET /v1/models answer, reused for venice.models_cache_ttl so a burst of
// clients listing models costs one upstream call. Failures are not cached. One per generation;
// called by the models handler.
#pragma once

#include <chrono>
#include <functional>
#include <mutex>
#include <string>

namespace vep::host {

class ModelsCache {
  public:
    explicit ModelsCache(std::chrono::milliseconds ttl) : ttl_(ttl) {}

    // The cached body if fresh, else the result of `fetch` (which may throw; nothing is cached then).
    std::string get(const std::function<std::string()> &fetch) {
        std::lock_guard<std::mutex> lock(mutex_);
        const auto now = std::chrono::steady_clock::now();
        if (!body_.empty() && now < fresh_until_) return body_;
        std::string body = fetch();
        if (ttl_.count() > 0) {
            body_ = body;
            fresh_until_ = now + ttl_;
        }
        return body;
    }

  private:
    std::chrono::milliseconds ttl_;
    std::mutex mutex_;
    std::string body_;
    std::chrono::steady_clock::time_point fresh_until_{};
};

}  // namespace vep::host
