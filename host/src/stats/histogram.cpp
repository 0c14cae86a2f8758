// See histogram.hpp.
#include "stats/histogram.hpp"

#include <algorithm>

namespace vep::host {

Histogram::Histogram(std::vector<double> bounds_seconds)
    : bounds_(std::move(bounds_seconds)), buckets_(new std::atomic<uint64_t>[bounds_.size() + 1]) {
    for (size_t i = 0; i <= bounds_.size(); ++i) buckets_[i].store(0, std::memory_order_relaxed);
    for (double b : bounds_)
        bounds_ns_.push_back(std::chrono::nanoseconds(static_cast<int64_t>(b * 1e9)));
}

void Histogram::observe(std::chrono::nanoseconds duration) {
    if (duration.count() < 0) duration = std::chrono::nanoseconds(0);
    const auto it = std::lower_bound(bounds_ns_.begin(), bounds_ns_.end(), duration);
    buckets_[static_cast<size_t>(it - bounds_ns_.begin())].fetch_add(1, std::memory_order_relaxed);
    sum_ns_.fetch_add(static_cast<uint64_t>(duration.count()), std::memory_order_relaxed);
}

Histogram::Snapshot Histogram::snapshot() const {
    Snapshot s;
    s.bounds = bounds_;
    uint64_t running = 0;
    for (size_t i = 0; i <= bounds_.size(); ++i) {
        running += buckets_[i].load(std::memory_order_relaxed);
        s.cumulative.push_back(running);
    }
    // The count is the buckets' total, so the +Inf bucket always equals it.
    s.count = running;
    s.sum_seconds = static_cast<double>(sum_ns_.load(std::memory_order_relaxed)) / 1e9;
    return s;
}

std::vector<double> latency_buckets() {
    return {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60};
}

std::vector<double> duration_buckets() {
    return {0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800};
}

std::vector<double> connect_buckets() {
    return {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10};
}

}  // namespace vep::host
