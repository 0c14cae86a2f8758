// SessionStore: the reference's sessions.rs catalog at store level (reuse, idle TTL, max TTL,
// request budget, sweeping) plus the fixes: (model, id) keys that cannot collide, a bounded table
// that sweeps expired sessions before evicting the least recently used live one, max_requests = 1,
// freshness clamping, a sweeper that removes expired sessions on a timer with no request
// arriving, and one session under concurrency.
#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include "session/session_store.hpp"

using namespace vep::host;
using namespace std::chrono_literals;

namespace {

const Clock::time_point t0 = Clock::time_point(std::chrono::seconds(1'700'000'000));

SessionConfig config(uint64_t max_requests = 100, uint64_t max_sessions = 10000) {
    SessionConfig c;
    c.idle_ttl = 10min;
    c.max_ttl = 30min;
    c.max_requests = max_requests;
    c.max_sessions = max_sessions;
    return c;
}

}  // namespace

TEST(SessionStore, CreatesAnAgentSessionThenReusesIt) {
    SessionStore store(config());
    auto first = store.acquire("model-a", "chat-1", SessionScope::Agent, t0);
    EXPECT_EQ(first->model, "model-a");
    EXPECT_EQ(first->agent_id, "chat-1");
    EXPECT_EQ(first->scope, SessionScope::Agent);
    EXPECT_EQ(first->request_count, 1u);
    auto second = store.acquire("model-a", "chat-1", SessionScope::Agent, t0 + 1min);
    EXPECT_EQ(second, first);
    EXPECT_EQ(second->request_count, 2u);
    EXPECT_EQ(second->last_used_at, t0 + 1min);
    EXPECT_EQ(second->created_at, t0);
    EXPECT_EQ(store.size(), 1u);
}

TEST(SessionStore, ModelAndIdAreSeparateKeyPartsThatCannotCollide) {
    SessionStore store(config());
    auto a = store.acquire("a:b", "c", SessionScope::Agent, t0);
    auto b = store.acquire("a", "b:c", SessionScope::Agent, t0);
    auto other_model = store.acquire("model-b", "c", SessionScope::Agent, t0);
    EXPECT_NE(a, b);
    EXPECT_NE(a, other_model);
    EXPECT_EQ(store.size(), 3u);
}

TEST(SessionStore, IdleTtlStartsAFreshSession) {
    SessionStore store(config());
    auto first = store.acquire("m", "s", SessionScope::Agent, t0);
    EXPECT_EQ(store.acquire("m", "s", SessionScope::Agent, t0 + 10min - 1s), first);
    auto fresh = store.acquire("m", "s", SessionScope::Agent, t0 + 20min);
    EXPECT_NE(fresh, first);
    EXPECT_EQ(fresh->request_count, 1u);
}

TEST(SessionStore, MaxTtlStartsAFreshSessionEvenWhenBusy) {
    SessionStore store(config());
    auto first = store.acquire("m", "s", SessionScope::Agent, t0);
    for (auto t = t0 + 5min; t < t0 + 30min; t += 5min) EXPECT_EQ(store.acquire("m", "s", SessionScope::Agent, t), first);
    EXPECT_NE(store.acquire("m", "s", SessionScope::Agent, t0 + 30min), first);
}

TEST(SessionStore, RequestBudgetStartsAFreshSession) {
    SessionStore store(config(3));
    auto first = store.acquire("m", "s", SessionScope::Agent, t0);
    EXPECT_EQ(store.acquire("m", "s", SessionScope::Agent, t0 + 1s), first);
    EXPECT_EQ(store.acquire("m", "s", SessionScope::Agent, t0 + 2s), first);
    auto fourth = store.acquire("m", "s", SessionScope::Agent, t0 + 3s);
    EXPECT_NE(fourth, first);
    EXPECT_EQ(fourth->request_count, 1u);
}

TEST(SessionStore, MaxRequestsOneGivesEveryRequestItsOwnSession) {
    SessionStore store(config(1));
    auto a = store.acquire("m", "s", SessionScope::Agent, t0);
    auto b = store.acquire("m", "s", SessionScope::Agent, t0 + 1s);
    auto c = store.acquire("m", "s", SessionScope::Agent, t0 + 2s);
    EXPECT_NE(a, b);
    EXPECT_NE(b, c);
    EXPECT_EQ(c->request_count, 1u);
}

TEST(SessionStore, SweepRemovesOnlyExpiredSessions) {
    SessionStore store(config());
    store.acquire("m", "old", SessionScope::Agent, t0);
    auto live = store.acquire("m", "live", SessionScope::Agent, t0 + 8min);
    EXPECT_EQ(store.sweep(t0 + 12min), 1u);
    EXPECT_EQ(store.size(), 1u);
    EXPECT_EQ(store.acquire("m", "live", SessionScope::Agent, t0 + 13min), live);
}

TEST(SessionStore, SweeperRemovesExpiredSessionsWithoutRequests) {
    SessionConfig c = config();
    c.idle_ttl = 1s;
    c.max_ttl = 1min;
    ASSERT_EQ(SessionStore::sweep_interval(c), 1s);
    SessionStore store(c);
    for (int i = 0; i < 50; ++i) store.acquire("m", "s" + std::to_string(i), SessionScope::Request, Clock::now());
    EXPECT_EQ(store.size(), 50u);
    const auto deadline = std::chrono::steady_clock::now() + 5s;
    while (store.size() > 0 && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(50ms);
    EXPECT_EQ(store.size(), 0u);
}

TEST(SessionStore, TableIsBoundedAndEvictsTheLeastRecentlyUsed) {
    SessionStore store(config(100, 3));
    auto a = store.acquire("m", "a", SessionScope::Agent, t0);
    auto b = store.acquire("m", "b", SessionScope::Agent, t0 + 1s);
    store.acquire("m", "c", SessionScope::Agent, t0 + 2s);
    EXPECT_EQ(store.acquire("m", "a", SessionScope::Agent, t0 + 3s), a);  // a is now the most recent
    store.acquire("m", "d", SessionScope::Agent, t0 + 4s);              // evicts b
    EXPECT_EQ(store.size(), 3u);
    EXPECT_EQ(store.acquire("m", "a", SessionScope::Agent, t0 + 5s), a);
    EXPECT_NE(store.acquire("m", "b", SessionScope::Agent, t0 + 6s), b);
    for (int i = 0; i < 1000; ++i) store.acquire("m", "flood" + std::to_string(i), SessionScope::Request, t0 + 7s);
    EXPECT_EQ(store.size(), 3u);
}

TEST(SessionStore, ExpiredSessionsGoBeforeLiveOnesWhenFull) {
    SessionCounters counters;
    SessionStore store(config(100, 2), &counters);
    store.acquire("m", "stale", SessionScope::Agent, t0);
    auto live = store.acquire("m", "live", SessionScope::Agent, t0 + 9min);
    store.acquire("m", "new", SessionScope::Agent, t0 + 11min);  // "stale" is idle-expired, "live" is not
    EXPECT_EQ(store.size(), 2u);
    EXPECT_EQ(counters.evicted.load(), 0u);  // an expired session is removed, not evicted
    EXPECT_EQ(store.acquire("m", "live", SessionScope::Agent, t0 + 12min), live);
    store.acquire("m", "newer", SessionScope::Agent, t0 + 12min);  // evicts "new", the least recently used
    EXPECT_EQ(counters.evicted.load(), 1u);
}

TEST(SessionStore, AttestationFreshnessShortensTheSession) {
    SessionStore store(config());
    auto s = store.acquire("m", "s", SessionScope::Agent, t0);
    AttestedModel attested;
    attested.not_after = t0 + 2min;
    store.clamp_to_freshness(*s, attested);
    EXPECT_EQ(s->expires_at, t0 + 2min);
    EXPECT_EQ(store.acquire("m", "s", SessionScope::Agent, t0 + 1min), s);
    EXPECT_NE(store.acquire("m", "s", SessionScope::Agent, t0 + 2min), s);

    AttestedModel later;
    later.not_after = t0 + 3h;  // never lengthens the session beyond max_ttl
    auto s2 = store.acquire("m", "s2", SessionScope::Agent, t0);
    store.clamp_to_freshness(*s2, later);
    EXPECT_EQ(s2->expires_at, t0 + 30min);
}

TEST(SessionStore, ConcurrentFirstRequestsShareOneSession) {
    SessionStore store(config());
    std::vector<std::shared_ptr<Session>> seen(16);
    std::vector<std::thread> threads;
    for (size_t i = 0; i < seen.size(); ++i)
        threads.emplace_back([&, i] { seen[i] = store.acquire("m", "shared", SessionScope::Agent, t0); });
    for (auto &t : threads) t.join();
    for (const auto &s : seen) EXPECT_EQ(s, seen.front());
    EXPECT_EQ(seen.front()->request_count, seen.size());
}
