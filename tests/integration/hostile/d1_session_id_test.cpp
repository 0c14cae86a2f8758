// D1, memory through the session id. The rule (header and metadata.session_id alike): 1..256
// bytes, each in 0x21..0x7E (the header value trimmed of surrounding spaces and tabs first).
// A body id breaking it is 400 invalid_session_id, a header id 400 invalid_session_header.
// Covers: 400 distinct 1 MiB body ids are refused without the proxy's RSS growing; idle sessions
// are swept on a timer while no request arrives; the length and byte limits of the rule.
#include <gtest/gtest.h>

#include "hostile_harness.hpp"

using namespace vep::hostile;
using namespace std::chrono_literals;

namespace {

std::string chat_with_session(const std::string &id, bool stream = false) {
    return chat_json(kModel, "hi", stream, "\"metadata\":{\"session_id\":" + json_string(id) + "}");
}

Exchange post_chat(uint16_t port, const std::string &body, const std::vector<std::string> &headers = {}) {
    return exchange(port, http_request("POST", "/v1/chat/completions", body, headers), 10s);
}

uint64_t sessions_of(const vep::json::Value &health) {
    uint64_t n = 0;
    const auto *sessions = health.find("sessions");
    return sessions && sessions->get_u64(n) ? n : UINT64_MAX;
}

}  // namespace

TEST(Hostile, D1_SessionIdMemory_OneMiBIdsAreRefusedAndRssStaysFlat) {
    HostileStack stack;
    // Warm-up: attestation, plugins and pools exist before the baseline is taken.
    const auto warm = post_chat(stack.port(), chat_with_session("hostile-warm-up"));
    ASSERT_EQ(warm.response.status, 200) << warm.raw.substr(0, 2000);
    const uint64_t before_kib = proc_stats(stack.proxy_pid()).rss_kib;

    constexpr int kRequests = 400;
    constexpr uint64_t kLimitKib = 64 * 1024;
    std::string id(1u << 20, 'a');
    int refused = 0;
    std::string first_wrong;
    const auto budget_end = Clock::now() + 45s;
    uint64_t after_kib = before_kib;
    int sent = 0;
    // Stops early once RSS is past the limit: the verdict is in, and more would only cost memory.
    for (; sent < kRequests && Clock::now() < budget_end && after_kib < before_kib + kLimitKib; ++sent) {
        const std::string tag = std::to_string(sent);
        id.replace(id.size() - tag.size(), tag.size(), tag);  // every id distinct
        const auto x = post_chat(stack.port(), chat_with_session(id));
        if (x.response.status == 400 && x.response.error_code() == "invalid_session_id") {
            ++refused;
        } else if (first_wrong.empty()) {
            first_wrong = "request " + tag + ": status " + std::to_string(x.response.status) + " code '" +
                          x.response.error_code() + "' (" + to_string(x.end) + ")";
        }
        if (sent % 10 == 9) after_kib = proc_stats(stack.proxy_pid()).rss_kib;
    }
    after_kib = proc_stats(stack.proxy_pid()).rss_kib;
    EXPECT_EQ(refused, sent) << "every 1 MiB metadata.session_id must be 400 invalid_session_id; first other answer: "
                             << first_wrong;
    EXPECT_LT(after_kib, before_kib + kLimitKib)
        << "RSS grew from " << before_kib / 1024 << " MiB to " << after_kib / 1024 << " MiB after " << sent
        << " requests (stopped there)";
    if (after_kib < before_kib + kLimitKib) {
        EXPECT_EQ(sent, kRequests) << "the 400 requests did not finish within 45 s";
    }
}

TEST(Hostile, D1_SessionIdMemory_IdleSessionsAreSweptWithoutTraffic) {
    HostileStack stack({{"session.idle_ttl", "\"1s\""}, {"session.max_ttl", "\"1m\""}});
    for (int i = 0; i < 50; ++i) {
        const auto x = post_chat(stack.port(), chat_with_session("hostile-idle-" + std::to_string(i)));
        ASSERT_EQ(x.response.status, 200) << "session " << i << ": " << x.raw.substr(0, 2000);
    }
    const auto right_after = healthz(stack.port());
    ASSERT_TRUE(right_after.has_value());
    EXPECT_GT(sessions_of(*right_after), 0u) << "the newest session (under 1 s idle) must still be there";

    // No request but /healthz, which only reads the count: idle_ttl 1 s, so a timer sweep empties
    // the table well within 6 s.
    uint64_t last = UINT64_MAX;
    const bool swept = eventually(6s, [&] {
        std::this_thread::sleep_for(200ms);
        if (const auto h = healthz(stack.port())) last = sessions_of(*h);
        return last == 0;
    });
    EXPECT_TRUE(swept) << "sessions still reported after 6 s without traffic: " << last;
}

TEST(Hostile, D1_SessionIdRule_1To256VisibleAsciiBytes) {
    HostileStack stack;
    const auto expect_refused = [&](const std::string &label, const Exchange &x, const std::string &code) {
        EXPECT_EQ(x.response.status, 400) << label << ": " << x.raw.substr(0, 600);
        EXPECT_EQ(x.response.error_code(), code) << label;
    };
    const auto expect_accepted = [&](const std::string &label, const Exchange &x) {
        EXPECT_EQ(x.response.status, 200) << label << ": " << x.raw.substr(0, 600);
    };
    const std::string id256(256, 'k');
    const std::string id257(257, 'k');
    const std::string header = "X-Venice-Proxy-Session-Id: ";

    expect_refused("body, 257 bytes", post_chat(stack.port(), chat_with_session(id257)), "invalid_session_id");
    expect_accepted("body, 256 bytes", post_chat(stack.port(), chat_with_session(id256)));
    expect_refused("body, inner space", post_chat(stack.port(), chat_with_session("inner space")),
                   "invalid_session_id");
    expect_refused("body, non-ASCII", post_chat(stack.port(), chat_with_session("caf\xc3\xa9")), "invalid_session_id");
    expect_refused("body, DEL", post_chat(stack.port(), chat_with_session("del\x7f")), "invalid_session_id");

    const std::string plain = chat_json(kModel, "hi", false);
    expect_refused("header, 257 bytes", post_chat(stack.port(), plain, {header + id257}), "invalid_session_header");
    expect_accepted("header, 256 bytes", post_chat(stack.port(), plain, {header + id256}));
    expect_accepted("header, 256 bytes between spaces and tabs",
                    post_chat(stack.port(), plain, {header + " \t" + id256 + "\t "}));
    expect_refused("header, inner space", post_chat(stack.port(), plain, {header + "inner space"}),
                   "invalid_session_header");
}
