// random_uuid(): the ids of requests, completions, sessions and tool calls — canonical version-4
// UUID text, and different every time, also across threads (each keeps its own block of random
// bytes).
#include <gtest/gtest.h>

#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "ids/random_uuid.hpp"

namespace {

TEST(RandomUuid, IsCanonicalVersion4Text) {
    for (int i = 0; i < 200; ++i) {
        const std::string id = vep::host::random_uuid();
        ASSERT_EQ(id.size(), 36u) << id;
        for (size_t at = 0; at < id.size(); ++at) {
            if (at == 8 || at == 13 || at == 18 || at == 23) {
                EXPECT_EQ(id[at], '-') << id;
                continue;
            }
            const char c = id[at];
            EXPECT_TRUE((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')) << id;
        }
        EXPECT_EQ(id[14], '4') << id;                                        // version
        EXPECT_NE(std::string("89ab").find(id[19]), std::string::npos) << id;  // RFC 4122 variant
    }
}

TEST(RandomUuid, DiffersEveryTime) {
    std::set<std::string> seen;
    for (int i = 0; i < 10000; ++i) seen.insert(vep::host::random_uuid());
    EXPECT_EQ(seen.size(), 10000u);
}

TEST(RandomUuid, ThreadsDrawDifferentIds) {
    std::mutex mutex;
    std::set<std::string> seen;
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&] {
            std::vector<std::string> mine;
            for (int i = 0; i < 1000; ++i) mine.push_back(vep::host::random_uuid());
            std::lock_guard lock(mutex);
            seen.insert(mine.begin(), mine.end());
        });
    }
    for (auto &thread : threads) thread.join();
    EXPECT_EQ(seen.size(), 4000u);
}

}  // namespace
