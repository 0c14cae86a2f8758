#include "signed_exchanges.hpp"

namespace vep::sim {

void SignedExchanges::add(const std::string &completion_id, SignedExchange exchange) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (entries_.insert_or_assign(completion_id, std::move(exchange)).second) order_.push_back(completion_id);
    while (order_.size() > max_entries_) {
        entries_.erase(order_.front());
        order_.pop_front();
    }
}

std::optional<SignedExchange> SignedExchanges::find(const std::string &completion_id) const {
    std::lock_guard<std::mutex> lock(mutex_);
    const auto it = entries_.find(completion_id);
    if (it == entries_.end()) return std::nullopt;
    return it->second;
}

}  // namespace vep::sim
