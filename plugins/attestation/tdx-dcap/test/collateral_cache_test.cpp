// CollateralCache: reuse until expiry, refetch after, failures not cached, bounded size, one fetch
// per key at a time.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <thread>

#include "collateral_cache.hpp"
#include "test_support.hpp"

using namespace tdx_test;
using vep::tdx_dcap::Collateral;
using vep::tdx_dcap::CollateralCache;
using vep::tdx_dcap::CollateralUnavailable;

namespace {

std::shared_ptr<const Collateral> sample() {
    static const auto collateral = std::make_shared<const Collateral>(
        Collateral::load_file(data_path("attestation/dcap-qvl_tdx_quote_v4_collateral.json")));
    return collateral;
}

CollateralCache::Fetch counting_fetch(std::atomic<int> &count, int64_t expires_at) {
    return [&count, expires_at] {
        ++count;
        return CollateralCache::Fetched{sample(), expires_at};
    };
}

TEST(CollateralCache, ReusesUntilExpiryThenFetchesAgain) {
    CollateralCache cache(4, std::chrono::seconds(1));
    std::atomic<int> fetches{0};
    EXPECT_EQ(cache.get("k", 100, counting_fetch(fetches, 200)), sample());
    EXPECT_EQ(cache.get("k", 200, counting_fetch(fetches, 200)), sample());
    EXPECT_EQ(fetches.load(), 1);
    cache.get("k", 201, counting_fetch(fetches, 300));
    EXPECT_EQ(fetches.load(), 2);
    cache.get("other", 201, counting_fetch(fetches, 300));
    EXPECT_EQ(fetches.load(), 3);
}

TEST(CollateralCache, FailuresAreReportedAndNotCached) {
    CollateralCache cache(4, std::chrono::seconds(1));
    try {
        cache.get("k", 100, []() -> CollateralCache::Fetched { throw std::runtime_error("PCCS said no"); });
        FAIL() << "expected CollateralUnavailable";
    } catch (const CollateralUnavailable &e) {
        EXPECT_STREQ(e.what(), "PCCS said no");
    }
    std::atomic<int> fetches{0};
    cache.get("k", 100, counting_fetch(fetches, 200));
    EXPECT_EQ(fetches.load(), 1);
}

TEST(CollateralCache, KeepsAtMostMaxEntriesDroppingTheSoonestToExpire) {
    CollateralCache cache(2, std::chrono::seconds(1));
    std::atomic<int> fetches{0};
    cache.get("a", 100, counting_fetch(fetches, 500));
    cache.get("b", 100, counting_fetch(fetches, 150));
    cache.get("c", 100, counting_fetch(fetches, 500));
    EXPECT_EQ(cache.size(), 2u);
    cache.get("a", 100, counting_fetch(fetches, 500));  // kept
    EXPECT_EQ(fetches.load(), 3);
    cache.get("b", 100, counting_fetch(fetches, 500));  // dropped, fetched again
    EXPECT_EQ(fetches.load(), 4);
}

TEST(CollateralCache, ConcurrentCallersShareOneFetchAndItsError) {
    for (const bool fail : {false, true}) {
        CollateralCache cache(4, std::chrono::seconds(5));
        std::atomic<int> fetches{0}, errors{0}, results{0};
        auto fetch = [&]() -> CollateralCache::Fetched {
            ++fetches;
            std::this_thread::sleep_for(std::chrono::milliseconds(200));
            if (fail) throw std::runtime_error("down");
            return {sample(), 1000};
        };
        std::vector<std::thread> threads;
        for (int i = 0; i < 4; ++i)
            threads.emplace_back([&] {
                try {
                    if (cache.get("k", 100, fetch) == sample()) ++results;
                } catch (const CollateralUnavailable &) {
                    ++errors;
                }
            });
        for (auto &t : threads) t.join();
        EXPECT_EQ(fetches.load(), 1) << "fail=" << fail;
        EXPECT_EQ(results.load(), fail ? 0 : 4);
        EXPECT_EQ(errors.load(), fail ? 4 : 0);
    }
}

TEST(CollateralCache, WaitingForAnotherFetchIsBounded) {
    CollateralCache cache(4, std::chrono::milliseconds(100));
    std::thread slow([&] {
        cache.get("k", 100, [] {
            std::this_thread::sleep_for(std::chrono::milliseconds(600));
            return CollateralCache::Fetched{sample(), 1000};
        });
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    std::atomic<int> fetches{0};
    EXPECT_THROW(cache.get("k", 100, counting_fetch(fetches, 1000)), CollateralUnavailable);
    slow.join();
    EXPECT_EQ(fetches.load(), 0);
}

TEST(CollateralNextUpdate, IsTheEarliestOfTheFourDates) {
    // TCB Info and QE Identity say 2025-07-19T10:00:35Z at the latest; the window in the README
    // ends at 1752919235 = the earliest nextUpdate.
    EXPECT_EQ(sample()->next_update(), std::optional<int64_t>(1752919235));
}

}  // namespace
