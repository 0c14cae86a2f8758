// MetricsScraper: what Prometheus does to the proxy during a measured phase — GET /metrics on the
// admin listener every `interval` from its own thread — so bench_load can state the CPU cost of
// metrics (--scrape-metrics). Started and stopped by main around the proxy phase.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>

namespace vep::bench {

class MetricsScraper {
  public:
    MetricsScraper(uint16_t admin_port, std::chrono::milliseconds interval);
    ~MetricsScraper();
    MetricsScraper(const MetricsScraper &) = delete;
    MetricsScraper &operator=(const MetricsScraper &) = delete;

    // Stops and joins the thread; returns how many scrapes answered 200.
    size_t stop();
    // Why the last failed scrape failed ("" when none failed).
    std::string last_failure() const;

  private:
    void run();

    uint16_t port_;
    std::chrono::milliseconds interval_;
    mutable std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    size_t scrapes_ = 0;
    std::string failure_;
    std::thread thread_;
};

}  // namespace vep::bench
