// Overload answers: with max_threads 4, max_queued 4 and no per-client cap, 200 streaming chats
// (short answers) opened at once each get an HTTP status line — 200, or 503 server_overloaded —
// and none is closed without a single response byte.
#include <gtest/gtest.h>

#include "hostile_harness.hpp"

using namespace vep::hostile;
using namespace std::chrono_literals;

TEST(Hostile, Overload_EveryConnectionGetsAStatusLine) {
    HostileStack stack({{"server.max_threads", "4"},
                        {"server.max_queued", "4"},
                        {"server.max_connections_per_client", "0"}});
    const std::string request =
        http_request("POST", "/v1/chat/completions", chat_json(kModel, "sim:scenario=long chunks=3 chunk_bytes=8", true));
    auto conns = open_many(stack.port(), 200, request);
    pump(conns, Clock::now() + 30s);

    size_t ok = 0, overloaded = 0, silent = 0, other = 0;
    std::string first_other;
    for (const auto &t : conns) {
        const auto r = parse_response(t.received, !t.open());
        if (t.received.empty()) {
            ++silent;
        } else if (r.status == 200 && r.complete) {
            ++ok;
        } else if (r.status == 503 && r.error_code() == "server_overloaded") {
            ++overloaded;
        } else if (other++ == 0) {
            first_other = std::string(to_string(t.end)) + ": " + t.received.substr(0, 300);
        }
    }
    EXPECT_EQ(silent, 0u) << silent << " connections ended (or stayed silent for 30 s) without any response byte";
    EXPECT_EQ(other, 0u) << "first: " << first_other;
    EXPECT_EQ(ok + overloaded, conns.size()) << ok << " answered 200, " << overloaded << " 503 server_overloaded";
}
