// Histogram: a Prometheus histogram of durations with fixed bucket bounds, lock-free (one relaxed
// atomic per bucket, plus the sum), so any thread may observe on the hot path. Members of
// ProxyStats; read by the /metrics exposition.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <vector>

namespace vep::host {

class Histogram {
  public:
    // `bounds_seconds`: the buckets' upper bounds, ascending (+Inf is implied).
    explicit Histogram(std::vector<double> bounds_seconds);

    void observe(std::chrono::nanoseconds duration);

    // A consistent-enough copy for one scrape: per-bucket cumulative counts (one per bound, then
    // +Inf), the count and the sum in seconds.
    struct Snapshot {
        std::vector<double> bounds;
        std::vector<uint64_t> cumulative;
        uint64_t count = 0;
        double sum_seconds = 0;
    };
    Snapshot snapshot() const;

  private:
    std::vector<double> bounds_;
    std::vector<std::chrono::nanoseconds> bounds_ns_;
    std::unique_ptr<std::atomic<uint64_t>[]> buckets_;  // bounds_.size() + 1 (the last is +Inf)
    std::atomic<uint64_t> sum_ns_{0};
};

// Bucket bounds for request latencies (5 ms .. 60 s).
std::vector<double> latency_buckets();
// Bucket bounds for whole answers and streams (50 ms .. 30 min).
std::vector<double> duration_buckets();
// Bucket bounds for connection set-up (1 ms .. 10 s).
std::vector<double> connect_buckets();

}  // namespace vep::host
