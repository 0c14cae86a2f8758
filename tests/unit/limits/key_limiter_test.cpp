// KeyLimiter: a key's requests per minute as a token bucket (a minute's worth at once, then an
// even refill; the wait is told in whole seconds), its open answers counted by slots that give
// themselves back, keys independent, and 0 meaning no limit.
#include <gtest/gtest.h>

#include "limits/key_limiter.hpp"

using namespace vep::host;
using namespace std::chrono_literals;

TEST(KeyLimiter, RequestsPerMinuteIsATokenBucket) {
    KeyLimiter limiter;
    const auto t0 = KeyLimiter::Clock::time_point(1000s);
    for (int i = 0; i < 3; ++i) EXPECT_FALSE(limiter.take_request("a", 3, t0)) << i;
    const auto wait = limiter.take_request("a", 3, t0);
    ASSERT_TRUE(wait);
    EXPECT_EQ(*wait, 20u);  // 3 a minute: one every 20 s
    EXPECT_FALSE(limiter.take_request("b", 3, t0));  // another key has its own bucket
    EXPECT_TRUE(limiter.take_request("a", 3, t0 + 19s));
    EXPECT_FALSE(limiter.take_request("a", 3, t0 + 21s));
    for (int i = 0; i < 100; ++i) EXPECT_FALSE(limiter.take_request("c", 0, t0));
}

TEST(KeyLimiter, StreamSlotsAreCountedAndGivenBack) {
    KeyLimiter limiter;
    auto one = limiter.take_stream("a", 2);
    auto two = limiter.take_stream("a", 2);
    ASSERT_TRUE(one && two);
    EXPECT_EQ(limiter.open_streams("a"), 2u);
    EXPECT_FALSE(limiter.take_stream("a", 2));
    EXPECT_TRUE(limiter.take_stream("b", 2));
    KeyLimiter::StreamSlot moved = std::move(*one);
    one.reset();
    EXPECT_EQ(limiter.open_streams("a"), 2u);  // moving a slot keeps it taken
    moved = KeyLimiter::StreamSlot{};
    EXPECT_EQ(limiter.open_streams("a"), 1u);
    EXPECT_TRUE(limiter.take_stream("a", 2));
    EXPECT_TRUE(limiter.take_stream("z", 0));  // no limit
    EXPECT_EQ(limiter.open_streams("z"), 0u);
}

TEST(KeyLimiter, DailyTokenBudgetIsSpentByChargedAnswersAndRenewsAtUtcMidnight) {
    KeyLimiter limiter;
    using Wall = KeyLimiter::WallClock;
    const auto midnight = Wall::time_point(std::chrono::hours(24 * 20000));
    const auto noon = midnight + 12h;
    EXPECT_FALSE(limiter.budget_spent("a", 100, noon));
    limiter.charge("a", 60, noon);
    EXPECT_FALSE(limiter.budget_spent("a", 100, noon));  // 40 left
    limiter.charge("a", 60, noon + 1s);                   // the answer that crosses the budget counts whole
    EXPECT_EQ(limiter.spent_today("a", noon + 2s), 120u);
    const auto wait = limiter.budget_spent("a", 100, noon + 2s);
    ASSERT_TRUE(wait);
    EXPECT_EQ(*wait, 12u * 3600u - 2u);  // until 00:00 UTC
    EXPECT_FALSE(limiter.budget_spent("a", 0, noon + 2s));    // no budget
    EXPECT_FALSE(limiter.budget_spent("b", 100, noon + 2s));  // another key
    EXPECT_FALSE(limiter.budget_spent("a", 100, midnight + 24h));  // the next day
    EXPECT_EQ(limiter.spent_today("a", midnight + 24h), 0u);

    // An open-answer slot charges its key, with or without a stream limit; an empty one charges nothing.
    auto counted = limiter.take_stream("c", 1);
    auto uncounted = limiter.take_stream("c", 0);
    ASSERT_TRUE(counted && uncounted);
    counted->charge(7);
    uncounted->charge(3);
    KeyLimiter::StreamSlot{}.charge(1000);
    EXPECT_EQ(limiter.spent_today("c", Wall::now()), 10u);
}
