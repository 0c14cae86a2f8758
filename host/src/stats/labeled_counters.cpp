// See labeled_counters.hpp.
#include "stats/labeled_counters.hpp"

#include <algorithm>

namespace vep::host {

void LabeledCounters::add(std::vector<std::string> values, uint64_t n) {
    values.resize(names_.size());
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = series_.find(values);
    if (it == series_.end()) {
        if (series_.size() + 1 >= max_series_) values.assign(names_.size(), kOtherLabel);
        it = series_.try_emplace(std::move(values), 0).first;
    }
    it->second += n;
}

std::vector<std::pair<std::vector<std::string>, uint64_t>> LabeledCounters::snapshot() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return {series_.begin(), series_.end()};
}

uint64_t LabeledCounters::value(const std::vector<std::string> &values) const {
    std::lock_guard<std::mutex> lock(mutex_);
    const auto it = series_.find(values);
    return it == series_.end() ? 0 : it->second;
}

std::string LabelValues::bound(const std::string &value) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (std::find(seen_.begin(), seen_.end(), value) != seen_.end()) return value;
    if (seen_.size() >= max_values_) return kOtherLabel;
    seen_.push_back(value);
    return value;
}

}  // namespace vep::host
