// restart_only_changes: which changed keys a reload cannot apply (the reload warns about them).
#include <gtest/gtest.h>

#include "config_test_support.hpp"

namespace vep::host {
namespace {

using Paths = std::vector<std::string>;

TEST(RestartOnly, NothingChanged) {
    const Config c = load_config_file(testing::config_data("full.toml"), {});
    EXPECT_EQ(restart_only_changes(c, c), Paths{});
    EXPECT_EQ(restart_only_changes(Config{}, Config{}), Paths{});
}

TEST(RestartOnly, ListsTheChangedListenerKeysInTableOrder) {
    Config old;
    Config next;
    next.server.relay_threads = 4;
    next.server.port = 9000;
    next.server.host = "127.0.0.1";
    next.server.max_threads = 8;
    next.server.max_queued = 8;
    next.server.receive_timeout = std::chrono::seconds(1);
    next.server.keep_alive_timeout = std::chrono::seconds(1);
    next.server.request_read_timeout = std::chrono::seconds(1);
    next.server.max_connections_per_client = 1;
    EXPECT_EQ(restart_only_changes(old, next),
              (Paths{"server.host", "server.port", "server.max_threads", "server.max_queued", "server.relay_threads",
                     "server.receive_timeout", "server.keep_alive_timeout", "server.request_read_timeout",
                     "server.max_connections_per_client"}));
}

TEST(RestartOnly, KeysAReloadAppliesAreNotListed) {
    Config old;
    Config next;
    next.server.send_timeout = std::chrono::seconds(1);
    next.server.max_concurrent_streams = 10;
    next.server.max_body_bytes = 10;
    next.limits.max_buffered_answer_bytes = 10;
    next.venice.api_key = Secret("sk-changed-key");
    next.session.fallback_scope = FallbackScope::Agent;
    next.tools.formats.clear();
    next.plugin_config["p"] = "{}";
    EXPECT_EQ(restart_only_changes(old, next), Paths{});
}

}  // namespace
}  // namespace vep::host
