// GenerationHolder: the generation new requests start under. Swapped atomically by a reload;
// requests keep the shared_ptr they took, so the previous generation (and its plugin libraries)
// lives until its last request ends. Owned by the application, read by every handler.
#pragma once

#include <memory>
#include <mutex>

#include "runtime/generation.hpp"

namespace vep::host {

class GenerationHolder {
  public:
    std::shared_ptr<const Generation> current() const {
        std::lock_guard<std::mutex> lock(mutex_);
        return current_;
    }
    void swap_in(std::shared_ptr<const Generation> next) {
        std::shared_ptr<const Generation> previous;
        {
            std::lock_guard<std::mutex> lock(mutex_);
            previous = std::move(current_);
            current_ = std::move(next);
        }
        // `previous` is released here, outside the lock; its plugins unload with the last user.
    }

  private:
    mutable std::mutex mutex_;
    std::shared_ptr<const Generation> current_;
};

}  // namespace vep::host
