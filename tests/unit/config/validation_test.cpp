// validate_config through the loader: every rule, its message, its location, and the order in
// which rules are checked (the reference's keys in the reference's order, then the new keys').
#include <gtest/gtest.h>

#include <set>
#include <sstream>

#include "config/validation.hpp"
#include "config_test_support.hpp"

namespace vep::host {
namespace {

using testing::text_error;

// TOML lines (dotted keys at the top level, so any subset combines) breaking one rule.
struct Rule {
    std::vector<std::string> lines;
    std::string message;  // "invalid config value for FIELD: MESSAGE"
};

const std::vector<Rule> &rules_in_order() {
    static const std::vector<Rule> rules = {
        {{"server.host = \"  \""}, "server.host: must not be empty"},
        {{"logging.level = \" \""}, "logging.level: must not be empty"},
        {{"logging.level = \"venice_e2ee_proxy=[debug\""},
         "logging.level: invalid filter directive \"venice_e2ee_proxy=[debug\": expected a level (trace, debug, "
         "info, warn, error, off or 0-5) after '=', got \"[debug\""},
        {{"venice.base_url = \" \""}, "venice.base_url: must not be empty"},
        {{"venice.base_url = \"ftp://api.venice.ai\""}, "venice.base_url: must start with http:// or https://"},
        {{"venice.request_timeout = \"0s\""}, "venice.request_timeout: must be greater than zero"},
        {{"session.idle_ttl = \"0s\""}, "session.idle_ttl: must be greater than zero"},
        {{"session.max_ttl = \"0ms\""}, "session.max_ttl: must be greater than zero"},
        {{"session.idle_ttl = \"31m\"", "session.max_ttl = \"30m\""},
         "session.idle_ttl: must be less than or equal to session.max_ttl"},
        {{"session.max_requests = 0"}, "session.max_requests: must be greater than zero"},
        {{"session.headers.incoming_session_id = \"\""}, "session.headers.incoming_session_id: must not be empty"},
        {{"session.headers.incoming_session_id = \"Bad Header\""},
         "session.headers.incoming_session_id: must be a valid HTTP header name"},
        {{"attestation.pccs_url = \"ftp://pccs\""},
         "attestation.pccs_url: must be empty or start with http:// or https://"},
        {{"e2ee.hkdf_info = \" \""}, "e2ee.hkdf_info: must not be empty"},
        {{"tools.tool_call_max_bytes = 0"}, "tools.tool_call_max_bytes: must be greater than zero"},
        {{"tools.tool_call_marker_timeout = \"0s\""}, "tools.tool_call_marker_timeout: must be greater than zero"},
        {{"server.max_threads = 0"}, "server.max_threads: must be in 1..4096"},
        {{"server.max_threads = 4097"}, "server.max_threads: must be in 1..4096"},
        {{"server.max_queued = 0"}, "server.max_queued: must be in 1..65536"},
        {{"server.relay_threads = 257"}, "server.relay_threads: must be in 0..256 (0 means one per CPU core)"},
        {{"server.max_concurrent_streams = 1000001"},
         "server.max_concurrent_streams: must be in 0..1000000 (0 means derived from the open-file limit)"},
        {{"server.receive_timeout = \"0s\""}, "server.receive_timeout: must be greater than zero"},
        {{"server.receive_timeout = \"25h\""}, "server.receive_timeout: must be at most 24h"},
        {{"server.send_timeout = \"0s\""}, "server.send_timeout: must be greater than zero"},
        {{"server.keep_alive_timeout = \"0s\""}, "server.keep_alive_timeout: must be greater than zero"},
        {{"server.shutdown_grace = \"61m\""}, "server.shutdown_grace: must be at most 1h"},
        {{"server.max_body_bytes = 0"}, "server.max_body_bytes: must be in 1..1073741824 (1 GiB)"},
        {{"server.max_body_bytes = 1073741825"}, "server.max_body_bytes: must be in 1..1073741824 (1 GiB)"},
        {{"server.request_read_timeout = \"0s\""}, "server.request_read_timeout: must be greater than zero"},
        {{"server.request_read_timeout = \"25h\""}, "server.request_read_timeout: must be at most 24h"},
        {{"server.max_connections_per_client = 1000001"},
         "server.max_connections_per_client: must be in 0..1000000 (0 means unlimited)"},
        {{"limits.max_buffered_answer_bytes = 0"},
         "limits.max_buffered_answer_bytes: must be in 1..1073741824 (1 GiB)"},
        {{"limits.max_buffered_answer_bytes = 1073741825"},
         "limits.max_buffered_answer_bytes: must be in 1..1073741824 (1 GiB)"},
        {{"logging.audit_log = \"  \""}, "logging.audit_log: must be empty or a path, not whitespace"},
        {{"venice.ca_file = \" \""}, "venice.ca_file: must be empty or a path, not whitespace"},
        {{"venice.models_cache_ttl = \"2d\""}, "venice.models_cache_ttl: must be at most 24h"},
        {{"session.max_sessions = 0"}, "session.max_sessions: must be in 1..10000000"},
        {{"attestation.verifiers = []"}, "attestation.verifiers: must list at least one name"},
        {{"attestation.verifiers = [\" \"]"}, "attestation.verifiers: element 0 must not be empty"},
        {{"attestation.verifiers = [\"envelope\", \"envelope\"]"},
         "attestation.verifiers: \"envelope\" is listed twice"},
        {{"e2ee.backend = \"\""}, "e2ee.backend: must not be empty"},
        {{"tools.formats = [{ match = \" \", format = \"x\" }]"}, "tools.formats[0].match: must not be empty"},
        {{"tools.formats = [{ match = \"x\", format = \"\" }]"}, "tools.formats[0].format: must not be empty"},
        {{"tools.default_format = \"\""}, "tools.default_format: must not be empty"},
        {{"plugins.directories = [\"\"]"}, "plugins.directories: element 0 must not be empty"},
        {{"plugins.load = [\"a\", \"b\", \"a\"]"}, "plugins.load: \"a\" is listed twice"},
        {{"chain.stages = []"}, "chain.stages: must list at least one name"},
        {{"chain.stages = [\"parse\", \"parse\"]"}, "chain.stages: \"parse\" is listed twice"},
        {{"plugin_config.\" \".x = 1"}, "plugin_config: a plugin name must not be empty"},
    };
    return rules;
}

std::string key_of(const std::string &line) { return line.substr(0, line.find(" = ")); }

TEST(Validation, EachRuleReportsItsMessage) {
    for (const Rule &rule : rules_in_order()) {
        std::string toml;
        for (const std::string &line : rule.lines) toml += line + "\n";
        const std::string message = text_error(toml);
        EXPECT_NE(message.find(": invalid config value for " + rule.message), std::string::npos)
            << "rule: " << rule.message << "\ngot: " << message;
        EXPECT_TRUE(message.starts_with("t.toml:")) << message;
    }
}

// Rule i together with every later rule (one per key): rule i is the one reported.
TEST(Validation, RulesAreCheckedInOrder) {
    const auto &rules = rules_in_order();
    for (size_t i = 0; i < rules.size(); ++i) {
        std::set<std::string> keys;
        std::string toml;
        for (size_t j = i; j < rules.size(); ++j) {
            bool clash = false;
            for (const std::string &line : rules[j].lines) clash = clash || keys.count(key_of(line)) > 0;
            if (clash) continue;
            for (const std::string &line : rules[j].lines) {
                keys.insert(key_of(line));
                toml += line + "\n";
            }
        }
        const std::string message = text_error(toml);
        EXPECT_NE(message.find(": invalid config value for " + rules[i].message), std::string::npos)
            << "expected rule " << i << ": " << rules[i].message << "\ngot: " << message;
    }
}

TEST(Validation, MessagesNameWhereTheValueWasSet) {
    EXPECT_EQ(text_error("[server]\nhost = \" \"\n"), "t.toml:2:8: invalid config value for server.host: must not be empty");
    EXPECT_EQ(text_error("", testing::env_of({{"VENICE_E2EE_PROXY__SESSION__MAX_REQUESTS", "0"}})),
              "env VENICE_E2EE_PROXY__SESSION__MAX_REQUESTS: invalid config value for session.max_requests: must be "
              "greater than zero");
    EXPECT_EQ(text_error("[plugins]\nload = [\"a\",\n  \"a\"]\n"),
              "t.toml:3:3: invalid config value for plugins.load: \"a\" is listed twice");
    EXPECT_EQ(text_error("[limits]\nmax_buffered_answer_bytes = 0\n"),
              "t.toml:2:29: invalid config value for limits.max_buffered_answer_bytes: must be in 1..1073741824 "
              "(1 GiB)");
}

TEST(Validation, RelationalRulesNameTheSettingThatWasSet) {
    EXPECT_EQ(text_error("[session]\nmax_ttl = \"5m\"\n"),
              "t.toml:2:11: invalid config value for session.idle_ttl: must be less than or equal to session.max_ttl");
}

TEST(Validation, DefaultsAreValidAndBoundariesAccepted) {
    EXPECT_NO_THROW(validate_config(Config{}));
    const Config c = load_config_text(
        "server.max_threads = 4\nserver.max_queued = 65536\nserver.max_concurrent_streams = 1000000\n"
        "server.relay_threads = 256\n"
        "server.receive_timeout = \"24h\"\nserver.shutdown_grace = \"0s\"\nserver.max_body_bytes = 1073741824\n"
        "session.idle_ttl = \"30m\"\nsession.max_requests = 1\nsession.max_sessions = 10000000\n"
        "tools.max_retries = 0\nattestation.pccs_url = \"  \"\nvenice.base_url = \" http://x \"\n"
        "venice.models_cache_ttl = \"0s\"\nplugins.directories = []\nplugins.load = []\ntools.formats = []\n"
        "server.request_read_timeout = \"24h\"\nserver.max_connections_per_client = 0\n"
        "limits.max_buffered_answer_bytes = 1\n",
        "t.toml", {});
    EXPECT_EQ(c.server.max_concurrent_streams, 1000000u);  // streams no longer hold worker threads
    EXPECT_EQ(c.server.relay_threads, 256u);
    EXPECT_EQ(c.session.idle_ttl, c.session.max_ttl);
    EXPECT_EQ(c.server.max_connections_per_client, 0u);
    EXPECT_EQ(c.limits.max_buffered_answer_bytes, 1u);
}

TEST(Validation, HeaderNames) {
    EXPECT_TRUE(is_http_header_name("X-Venice-Proxy-Session-Id"));
    EXPECT_TRUE(is_http_header_name("x_session.id~1!"));
    EXPECT_FALSE(is_http_header_name(""));
    EXPECT_FALSE(is_http_header_name("X Session"));
    EXPECT_FALSE(is_http_header_name("X-Session:"));
    EXPECT_FALSE(is_http_header_name("X-S\xc3\xa9ssion"));
}

}  // namespace
}  // namespace vep::host
