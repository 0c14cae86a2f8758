// Fetched collateral kept per platform until it goes stale (see collateral_cache.hpp).
#include "collateral_cache.hpp"

namespace vep::tdx_dcap {

CollateralCache::CollateralCache(size_t max_entries, std::chrono::milliseconds max_wait)
    : max_entries_(max_entries == 0 ? 1 : max_entries), max_wait_(max_wait) {}

size_t CollateralCache::size() const {
    std::lock_guard lock(mutex_);
    return entries_.size();
}

CollateralCache::Entry &CollateralCache::entry_for(const std::string &key) {
    if (auto it = entries_.find(key); it != entries_.end()) return it->second;
    if (entries_.size() >= max_entries_) {
        auto victim = entries_.end();
        for (auto it = entries_.begin(); it != entries_.end(); ++it)
            if (!it->second.fetching && (victim == entries_.end() || it->second.expires_at < victim->second.expires_at))
                victim = it;
        if (victim == entries_.end())
            throw CollateralUnavailable("collateral cache is full of fetches in progress (" +
                                        std::to_string(max_entries_) + " platforms)");
        entries_.erase(victim);
    }
    return entries_[key];
}

std::shared_ptr<const Collateral> CollateralCache::get(const std::string &key, int64_t now, const Fetch &fetch) {
    std::unique_lock lock(mutex_);
    Entry *entry = &entry_for(key);
    if (entry->collateral && now <= entry->expires_at) return entry->collateral;
    if (entry->fetching) {
        const uint64_t waiting_for = entry->generation;
        const bool done = fetched_.wait_for(lock, max_wait_, [&] {
            const auto it = entries_.find(key);
            return it == entries_.end() || it->second.generation != waiting_for;
        });
        if (!done) throw CollateralUnavailable("timed out waiting for a collateral fetch already in progress");
        const auto it = entries_.find(key);
        if (it == entries_.end()) throw CollateralUnavailable("fetched collateral was dropped from the full cache");
        if (!it->second.error.empty()) throw CollateralUnavailable(it->second.error);
        return it->second.collateral;
    }

    entry->fetching = true;
    lock.unlock();
    Fetched result;
    std::string error;
    try {
        result = fetch();
        if (!result.collateral) error = "collateral fetch returned nothing";
    } catch (const std::exception &e) {
        error = e.what();
    }
    lock.lock();
    entry = &entries_[key];  // a fetching entry is never evicted, so this is the same entry
    entry->fetching = false;
    ++entry->generation;
    entry->error = error;
    if (error.empty()) {
        entry->collateral = result.collateral;
        entry->expires_at = result.expires_at;
    } else {
        entry->collateral.reset();
        entry->expires_at = 0;
    }
    fetched_.notify_all();
    if (!error.empty()) throw CollateralUnavailable(error);
    return result.collateral;
}

}  // namespace vep::tdx_dcap
