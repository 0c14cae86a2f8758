// MetricsScraper: what Prometheus does to the proxy during a measured phase — GET /metrics on the
// admin listener every `interval` from its own thread — so bench_load can state the CPU cost of
// metrics (--scrape-metrics). Started and stopped by main around the proxy phase. Also the one
// GET /metrics that bench_load uses to read the upstream connection counters before and after it.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>

namespace vep::bench {

// GET /metrics on 127.0.0.1:`admin_port`: the exposition text. Throws std::runtime_error.
std::string fetch_metrics(uint16_t admin_port);
// The value of an unlabeled sample `name` in an exposition; throws std::runtime_error when absent.
double metric_value(const std::string &exposition, const std::string &name);

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
