// LabeledCounters: one counter family with fixed label names (e.g. route, status, code); each
// distinct set of label values is a series. The number of series is capped: past the cap, new
// label sets are counted in one series whose every label is "other", so no client can grow the
// exposition without bound. Updated once per request (a short mutex hold, never per chunk);
// members of ProxyStats, read by the /metrics exposition.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace vep::host {

class LabeledCounters {
  public:
    LabeledCounters(std::vector<std::string> label_names, size_t max_series)
        : names_(std::move(label_names)), max_series_(max_series) {}

    // Adds `n` to the series of `values` (one per label name, in order).
    void add(std::vector<std::string> values, uint64_t n = 1);
    const std::vector<std::string> &label_names() const { return names_; }
    // Every series and its count.
    std::vector<std::pair<std::vector<std::string>, uint64_t>> snapshot() const;
    // The count of the series `values` (0 when it does not exist).
    uint64_t value(const std::vector<std::string> &values) const;

  private:
    std::vector<std::string> names_;
    size_t max_series_;
    mutable std::mutex mutex_;
    std::map<std::vector<std::string>, uint64_t> series_;
};

// LabelValues: caps the distinct values one label may take (client key ids, model names): the
// first `max_values` values seen are kept, any other becomes "other". Thread-safe.
class LabelValues {
  public:
    explicit LabelValues(size_t max_values) : max_values_(max_values) {}
    std::string bound(const std::string &value);

  private:
    size_t max_values_;
    std::mutex mutex_;
    std::vector<std::string> seen_;
};

// The label value standing for every value past a cap.
inline constexpr const char *kOtherLabel = "other";

}  // namespace vep::host
