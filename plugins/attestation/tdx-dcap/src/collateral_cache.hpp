// Fetched collateral kept per platform until it goes stale.
//
// Owns: a bounded map from a key (FMSPC and PCK CA) to the last collateral fetched for it and the
// time it expires (its earliest nextUpdate). At most one fetch per key runs at a time: concurrent
// callers for the same key wait for it (bounded by `max_wait`) and share its result or its error.
// Failed fetches are not cached. When full, the entry expiring first is dropped. Thread-safe.
// Caller: the tdx-dcap verifier (one cache per plugin instance).
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>

#include "collateral.hpp"

namespace vep::tdx_dcap {

// A fetch for this key failed (the message is the fetch's), or waiting for another caller's fetch
// took longer than `max_wait`.
class CollateralUnavailable : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

class CollateralCache {
  public:
    // What a fetch returns: the collateral and the unix time after which it must be fetched again.
    struct Fetched {
        std::shared_ptr<const Collateral> collateral;
        int64_t expires_at = 0;
    };
    // Fetches the collateral for a key; reports failure by throwing (any std::exception).
    using Fetch = std::function<Fetched()>;

    CollateralCache(size_t max_entries, std::chrono::milliseconds max_wait);

    // The cached collateral for `key` when it is still valid at `now` (unix seconds), else the
    // result of `fetch` (run by this caller, or by a concurrent caller for the same key). Throws
    // CollateralUnavailable.
    std::shared_ptr<const Collateral> get(const std::string &key, int64_t now, const Fetch &fetch);

    size_t size() const;

  private:
    struct Entry {
        std::shared_ptr<const Collateral> collateral;
        int64_t expires_at = 0;
        bool fetching = false;
        uint64_t generation = 0;  // bumped when a fetch finishes
        std::string error;        // of the last finished fetch; "" when it succeeded
    };

    Entry &entry_for(const std::string &key);

    const size_t max_entries_;
    const std::chrono::milliseconds max_wait_;
    mutable std::mutex mutex_;
    std::condition_variable fetched_;
    std::map<std::string, Entry> entries_;
};

}  // namespace vep::tdx_dcap
