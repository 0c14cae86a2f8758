// The bounded, thread-safe list of request records behind GET /_sim/requests. API handlers add a
// record when a request arrives and update it as they go; tests and the admin handler read
// snapshots. Oldest records are dropped beyond the configured capacity.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include "vep/sim/request_record.hpp"

namespace vep::sim {

class RequestLog {
  public:
    explicit RequestLog(size_t capacity) : capacity_(capacity) {}
    // Adds a record (id assigned here) and returns the handle to update it with.
    std::shared_ptr<RequestRecord> add(RequestRecord record);
    // Runs `change` on the record under the log's lock.
    void update(const std::shared_ptr<RequestRecord> &record, const std::function<void(RequestRecord &)> &change);
    std::vector<RequestRecord> snapshot() const;
    void clear();

  private:
    size_t capacity_;
    mutable std::mutex mu_;
    uint64_t next_id_ = 1;
    std::deque<std::shared_ptr<RequestRecord>> records_;
};

// Milliseconds since the Unix epoch.
int64_t unix_millis();

}  // namespace vep::sim
