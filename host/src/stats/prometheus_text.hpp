// PrometheusText: writes the Prometheus text exposition format (version 0.0.4): a family's HELP
// and TYPE lines, then its samples, label values escaped (backslash, quote, newline). Counters of
// LabeledCounters and Histogram snapshots are written whole. Used by the /metrics exposition.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "stats/histogram.hpp"
#include "stats/labeled_counters.hpp"

namespace vep::host {

using Labels = std::vector<std::pair<std::string, std::string>>;

class PrometheusText {
  public:
    // HELP and TYPE ("counter", "gauge", "histogram") of the family `name`.
    void family(std::string_view name, std::string_view help, std::string_view type);
    void sample(std::string_view name, const Labels &labels, uint64_t value);
    void sample(std::string_view name, const Labels &labels, double value);
    // A whole family of one unlabeled counter or gauge.
    void counter(std::string_view name, std::string_view help, uint64_t value);
    void gauge(std::string_view name, std::string_view help, double value);
    // A whole counter family: every series of `counters`.
    void counters(std::string_view name, std::string_view help, const LabeledCounters &counters);
    // One histogram series (name_bucket{le}, name_sum, name_count) under a family already begun.
    void histogram(std::string_view name, const Labels &labels, const Histogram::Snapshot &snapshot);

    const std::string &text() const { return out_; }

  private:
    void series(std::string_view name, const Labels &labels);
    std::string out_;
};

}  // namespace vep::host
