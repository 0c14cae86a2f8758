// VENICE_E2EE_PROXY__SECTION__KEY overrides: precedence over the file, nesting, case, type
// inference, arrays, and errors that name the variable.
#include <gtest/gtest.h>

#include <cstdlib>

#include "config_test_support.hpp"

namespace vep::host {
namespace {

using testing::config_data;
using testing::config_error_of;
using testing::env_of;
using testing::text_error;

Config load_overrides(const Environment &env) { return load_config_file(config_data("overrides.toml"), env); }

TEST(EnvOverride, WinsOverTheFileAndIsRecordedAsSource) {
    const Config c = load_overrides(env_of({{"VENICE_E2EE_PROXY__SERVER__PORT", "9000"}}));
    EXPECT_EQ(c.server.port, 9000);
    EXPECT_EQ(c.server.host, "127.0.0.1");
    EXPECT_EQ(c.sources.at("server.port").text, "env VENICE_E2EE_PROXY__SERVER__PORT");
    EXPECT_EQ(c.sources.at("server.host").text, config_data("overrides.toml") + ":3:8");
}

TEST(EnvOverride, NestedKeysUseDoubleUnderscores) {
    const Config c = load_overrides(env_of({{"VENICE_E2EE_PROXY__SESSION__HEADERS__INCOMING_SESSION_ID", "X-From-Env"}}));
    EXPECT_EQ(c.session.incoming_session_id_header, "X-From-Env");
    EXPECT_EQ(c.sources.at("session.headers.incoming_session_id").text,
              "env VENICE_E2EE_PROXY__SESSION__HEADERS__INCOMING_SESSION_ID");
}

TEST(EnvOverride, NamesAreCaseInsensitive) {
    const Config c = load_overrides(env_of({{"venice_e2ee_proxy__Server__Host", "10.1.2.3"}}));
    EXPECT_EQ(c.server.host, "10.1.2.3");
}

TEST(EnvOverride, CreatesSectionsTheFileLacks) {
    const Config c = load_config_text("", "t.toml",
                                      env_of({{"VENICE_E2EE_PROXY__TOOLS__ENABLED", "false"},
                                              {"VENICE_E2EE_PROXY__SESSION__MAX_TTL", "1h"},
                                              {"VENICE_E2EE_PROXY__ATTESTATION__REQUIRE_NVIDIA", "required"},
                                              {"VENICE_E2EE_PROXY__ATTESTATION__RECEIPTS", "require"}}));
    EXPECT_FALSE(c.tools.enabled);
    EXPECT_EQ(c.session.max_ttl, std::chrono::hours(1));
    EXPECT_EQ(c.attestation.require_nvidia, RequireNvidia::Required);
    EXPECT_EQ(c.attestation.receipts, ReceiptMode::Require);
}

TEST(EnvOverride, ArraysAreTomlArrayLiterals) {
    const Config c = load_overrides(env_of({
        {"VENICE_E2EE_PROXY__PLUGINS__LOAD", R"(["e2ee-secp256k1", "tools-hermes"])"},
        {"VENICE_E2EE_PROXY__TOOLS__FORMATS", R"([{ match = "llama", format = "hermes" }])"},
        {"VENICE_E2EE_PROXY__CHAIN__STAGES", R"(["parse", "encrypt"])"},
    }));
    EXPECT_EQ(c.plugins.load, (std::vector<std::string>{"e2ee-secp256k1", "tools-hermes"}));
    ASSERT_EQ(c.tools.formats.size(), 1u);
    EXPECT_EQ(c.tools.formats[0].match, "llama");
    EXPECT_EQ(c.chain.stages, (std::vector<std::string>{"parse", "encrypt"}));
    EXPECT_EQ(c.sources.at("plugins.load[1]").text, "env VENICE_E2EE_PROXY__PLUGINS__LOAD");
}

TEST(EnvOverride, StringKeysTakeTheRawText) {
    const Config c = load_config_text("", "t.toml",
                                      env_of({{"VENICE_E2EE_PROXY__VENICE__API_KEY", "12345678"},
                                              {"VENICE_E2EE_PROXY__E2EE__HKDF_INFO", "true"},
                                              {"VENICE_E2EE_PROXY__TOOLS__DEFAULT_FORMAT", R"("quoted")"},
                                              {"VENICE_E2EE_PROXY__SERVER__HOST", "::1"},
                                              {"VENICE_E2EE_PROXY__E2EE__BACKEND", "[odd]"}}));
    EXPECT_EQ(c.venice.api_key.expose(), "12345678");
    EXPECT_EQ(c.e2ee.hkdf_info, "true");
    EXPECT_EQ(c.tools.default_format, "quoted");
    EXPECT_EQ(c.server.host, "::1");
    EXPECT_EQ(c.e2ee.backend, "[odd]");
}

TEST(EnvOverride, SetsANewSection) {
    const Config c = load_overrides(env_of({{"VENICE_E2EE_PROXY__LIMITS__MAX_BUFFERED_ANSWER_BYTES", "1048576"}}));
    EXPECT_EQ(c.limits.max_buffered_answer_bytes, 1048576u);
    EXPECT_EQ(c.sources.at("limits.max_buffered_answer_bytes").text,
              "env VENICE_E2EE_PROXY__LIMITS__MAX_BUFFERED_ANSWER_BYTES");
}

TEST(EnvOverride, OutOfRangeValueNamesTheVariable) {
    EXPECT_EQ(text_error("", env_of({{"VENICE_E2EE_PROXY__LIMITS__MAX_BUFFERED_ANSWER_BYTES", "1073741825"}})),
              "env VENICE_E2EE_PROXY__LIMITS__MAX_BUFFERED_ANSWER_BYTES: invalid config value for "
              "limits.max_buffered_answer_bytes: must be in 1..1073741824 (1 GiB)");
}

TEST(EnvOverride, InlineTableMergesIntoTheFileSection) {
    const Config c = load_overrides(env_of({{"VENICE_E2EE_PROXY__SERVER", "{ port = 1234, max_threads = 8 }"}}));
    EXPECT_EQ(c.server.port, 1234);
    EXPECT_EQ(c.server.max_threads, 8u);
    EXPECT_EQ(c.server.host, "127.0.0.1");
}

TEST(EnvOverride, PluginConfigEntries) {
    const Config c = load_config_text("[plugin_config.foo]\nname = \"file\"\n", "t.toml",
                                      env_of({{"VENICE_E2EE_PROXY__PLUGIN_CONFIG__FOO__LEVEL", "3"},
                                              {"VENICE_E2EE_PROXY__PLUGIN_CONFIG__BAR__ON", "true"}}));
    EXPECT_EQ(c.plugin_config.at("foo"), R"({"name":"file","level":3})");
    EXPECT_EQ(c.plugin_config.at("bar"), R"({"on":true})");
}

TEST(EnvOverride, ModelAliases) {
    const Config c = load_config_text("[aliases]\n\"claude-opus-4-8\" = \"e2ee-glm-5-2-p\"\n", "t.toml",
                                      env_of({{"VENICE_E2EE_PROXY__ALIASES__GPT_5", "e2ee-qwen3-235b-a22b-p"}}));
    EXPECT_EQ(c.aliases, (std::map<std::string, std::string>{{"claude-opus-4-8", "e2ee-glm-5-2-p"},
                                                             {"gpt_5", "e2ee-qwen3-235b-a22b-p"}}));
    EXPECT_EQ(c.sources.at("aliases.claude-opus-4-8").text, "t.toml:2:21");
    EXPECT_THROW(load_config_text("[aliases]\nx = 1\n", "t.toml", {}), ConfigError);
    EXPECT_THROW(load_config_text("[aliases]\nx = \" \"\n", "t.toml", {}), ConfigError);
}

TEST(EnvOverride, OtherVariablesAreIgnored) {
    const Config c = load_overrides(env_of({{"HOME", "/root"},
                                            {"VENICE_E2EE_PROXY_SERVER__PORT", "1"},
                                            {"VENICE_API_KEY", "x"}}));
    EXPECT_EQ(c.server.port, 8081);
}

TEST(EnvOverride, BadValuesNameTheVariable) {
    EXPECT_EQ(text_error("", env_of({{"VENICE_E2EE_PROXY__SERVER__PORT", "abc"}})),
              "env VENICE_E2EE_PROXY__SERVER__PORT: server.port: expected an integer in 0..65535, got string");
    EXPECT_EQ(text_error("", env_of({{"VENICE_E2EE_PROXY__SERVER__PORT", "70000"}})),
              "env VENICE_E2EE_PROXY__SERVER__PORT: server.port: expected an integer in 0..65535, got 70000");
    EXPECT_EQ(text_error("", env_of({{"VENICE_E2EE_PROXY__TOOLS__ENABLED", "yes"}})),
              "env VENICE_E2EE_PROXY__TOOLS__ENABLED: tools.enabled: expected a boolean, got string");
    EXPECT_EQ(text_error("", env_of({{"VENICE_E2EE_PROXY__SESSION__IDLE_TTL", "30"}})),
              "env VENICE_E2EE_PROXY__SESSION__IDLE_TTL: session.idle_ttl: expected a duration string such as "
              "\"30s\", got integer (a bare number has no unit)");
    EXPECT_EQ(text_error("", env_of({{"VENICE_E2EE_PROXY__SESSION__IDLE_TTL", "30 lightyears"}})),
              "env VENICE_E2EE_PROXY__SESSION__IDLE_TTL: session.idle_ttl: invalid duration \"30 lightyears\": "
              "unknown time unit \"lightyears\", supported units: ns, us, ms, sec, min, hours, days, weeks, months, "
              "years (and few variations)");
    EXPECT_EQ(text_error("", env_of({{"VENICE_E2EE_PROXY__PLUGINS__LOAD", "e2ee-secp256k1"}})),
              "env VENICE_E2EE_PROXY__PLUGINS__LOAD: plugins.load: expected an array of strings, got string (an "
              "override of an array is a TOML array such as [\"a\", \"b\"])");
    EXPECT_EQ(text_error("", env_of({{"VENICE_E2EE_PROXY__PLUGINS__LOAD", "[\"a\", 2]"}})),
              "env VENICE_E2EE_PROXY__PLUGINS__LOAD: plugins.load[1]: expected a string, got integer");
}

TEST(EnvOverride, ReceiptModeIsOneOfThree) {
    EXPECT_EQ(text_error("", env_of({{"VENICE_E2EE_PROXY__ATTESTATION__RECEIPTS", "sometimes"}})),
              "env VENICE_E2EE_PROXY__ATTESTATION__RECEIPTS: attestation.receipts: expected one of \"off\", "
              "\"audit\", \"require\", got \"sometimes\"");
}

TEST(EnvOverride, UnknownKeysNameTheVariable) {
    EXPECT_EQ(text_error("", env_of({{"VENICE_E2EE_PROXY__SERVER__PROT", "1"}})),
              "env VENICE_E2EE_PROXY__SERVER__PROT: server: unknown key prot (expected one of: host, port, "
              "max_threads, max_queued, relay_threads, max_concurrent_streams, receive_timeout, send_timeout, "
              "keep_alive_timeout, shutdown_grace, max_body_bytes, request_read_timeout, max_connections_per_client, cors_origins, allow_unauthenticated, tls_cert, tls_key, tls_client_ca)");
    EXPECT_EQ(text_error("", env_of({{"VENICE_E2EE_PROXY__BOGUS__X", "1"}})),
              "env VENICE_E2EE_PROXY__BOGUS__X: unknown key bogus (expected one of: server, limits, auth, logging, admin, venice, "
              "keys, session, attestation, e2ee, tools, plugins, chain, models, plugin_config, aliases)");
}

TEST(EnvOverride, MalformedVariableNames) {
    EXPECT_EQ(text_error("", env_of({{"VENICE_E2EE_PROXY__SERVER____PORT", "1"}})),
              "env VENICE_E2EE_PROXY__SERVER____PORT: does not name a configuration key (empty segment between "
              "\"__\")");
    EXPECT_EQ(text_error("", env_of({{"VENICE_E2EE_PROXY__", "1"}})),
              "env VENICE_E2EE_PROXY__: does not name a configuration key (empty segment between \"__\")");
    EXPECT_EQ(text_error("[server]\nport = 1\n", env_of({{"VENICE_E2EE_PROXY__SERVER__PORT__X", "1"}})),
              "env VENICE_E2EE_PROXY__SERVER__PORT__X: server.port.x: server.port is not a table");
    EXPECT_EQ(text_error("", env_of({{"VENICE_E2EE_PROXY__SERVER__PORT", "1"},
                                     {"venice_e2ee_proxy__server__port", "2"}})),
              "env venice_e2ee_proxy__server__port: sets server.port, which VENICE_E2EE_PROXY__SERVER__PORT also sets");
}

TEST(EnvOverride, OversizedAndNonUtf8ValuesAreRejected) {
    EXPECT_EQ(text_error("", env_of({{"VENICE_E2EE_PROXY__SERVER__HOST", std::string(kMaxEnvValueBytes + 1, 'a')}})),
              "env VENICE_E2EE_PROXY__SERVER__HOST: the value is longer than 65536 bytes");
    EXPECT_EQ(text_error("", env_of({{"VENICE_E2EE_PROXY__SERVER__HOST", "\xff\xfe"}})),
              "env VENICE_E2EE_PROXY__SERVER__HOST: the value is not valid UTF-8");
}

TEST(EnvOverride, FileErrorsComeBeforeEnvironmentErrors) {
    EXPECT_EQ(text_error("[server]\nhost = 1\n", env_of({{"VENICE_E2EE_PROXY__SERVER__PORT", "x"}})),
              "t.toml:2:8: server.host: expected a string, got integer\n"
              "env VENICE_E2EE_PROXY__SERVER__PORT: server.port: expected an integer in 0..65535, got string");
}

TEST(EnvOverride, FromProcessCopiesOnlyPrefixedVariables) {
    ::setenv("VENICE_E2EE_PROXY__SERVER__PORT", "9123", 1);
    ::setenv("venice_e2ee_proxy__tools__enabled", "false", 1);
    ::setenv("VEP_UNRELATED_TEST_VARIABLE", "1", 1);
    const Environment env = Environment::from_process();
    ::unsetenv("VENICE_E2EE_PROXY__SERVER__PORT");
    ::unsetenv("venice_e2ee_proxy__tools__enabled");
    ::unsetenv("VEP_UNRELATED_TEST_VARIABLE");
    EXPECT_EQ(env.vars.at("VENICE_E2EE_PROXY__SERVER__PORT"), "9123");
    EXPECT_EQ(env.vars.at("venice_e2ee_proxy__tools__enabled"), "false");
    EXPECT_EQ(env.vars.count("VEP_UNRELATED_TEST_VARIABLE"), 0u);
    const Config c = load_config_text("", "t.toml", env);
    EXPECT_EQ(c.server.port, 9123);
    EXPECT_FALSE(c.tools.enabled);
}

}  // namespace
}  // namespace vep::host
