// Loading a file that sets every key: values, plugin_config JSON and recorded sources.
#include <gtest/gtest.h>

#include "config_test_support.hpp"

namespace vep::host {
namespace {

using namespace std::chrono_literals;
using testing::config_data;

TEST(LoaderValues, ReadsEveryKey) {
    const Config c = load_config_file(config_data("full.toml"), {});
    EXPECT_EQ(c.server.host, "127.0.0.1");
    EXPECT_EQ(c.server.port, 9000);
    EXPECT_EQ(c.server.max_threads, 64u);
    EXPECT_EQ(c.server.max_queued, 16u);
    EXPECT_EQ(c.server.relay_threads, 3u);
    EXPECT_EQ(c.server.max_concurrent_streams, 32u);
    EXPECT_EQ(c.server.receive_timeout, 45s);
    EXPECT_EQ(c.server.send_timeout, 20s);
    EXPECT_EQ(c.server.keep_alive_timeout, 2s);
    EXPECT_EQ(c.server.shutdown_grace, 1min);
    EXPECT_EQ(c.server.max_body_bytes, 1048576u);
    EXPECT_EQ(c.server.request_read_timeout, 2min);
    EXPECT_EQ(c.server.max_connections_per_client, 8u);
    EXPECT_EQ(c.limits.max_buffered_answer_bytes, 1048576u);
    EXPECT_EQ(c.logging.level, "venice_e2ee_proxy=debug,tower_http=warn");
    EXPECT_EQ(c.logging.audit_log, "-");
    EXPECT_EQ(c.venice.base_url, "http://127.0.0.1:8099/api/v1");
    EXPECT_EQ(c.venice.api_key.expose(), "sk-full-file-key-0123456789");
    EXPECT_EQ(c.venice.request_timeout, 15s);
    EXPECT_EQ(c.venice.ca_file, "certs/ca.pem");
    EXPECT_EQ(c.venice.models_cache_ttl, 1min);
    EXPECT_FALSE(c.keys.generate_proxy_instance_key_on_startup);
    EXPECT_EQ(c.keys.client_key_scope, ClientKeyScope::Session);
    EXPECT_EQ(c.session.idle_ttl, 5min);
    EXPECT_EQ(c.session.max_ttl, 90min);
    EXPECT_EQ(c.session.max_requests, 7u);
    EXPECT_EQ(c.session.fallback_scope, FallbackScope::Agent);
    EXPECT_EQ(c.session.incoming_session_id_header, "X-Agent-Session");
    EXPECT_EQ(c.session.max_sessions, 50u);
    EXPECT_EQ(c.attestation.mode, "independent");
    EXPECT_TRUE(c.attestation.require_tdx);
    EXPECT_EQ(c.attestation.require_nvidia, RequireNvidia::WhenPresent);
    EXPECT_TRUE(c.attestation.allow_debug);
    EXPECT_EQ(c.attestation.pccs_url, "https://pccs.example/sgx/certification/v4");
    EXPECT_EQ(c.attestation.verifiers, (std::vector<std::string>{"envelope", "tdx-dcap"}));
    EXPECT_EQ(c.e2ee.hkdf_info, "custom_info");
    EXPECT_FALSE(c.e2ee.require_encrypted_response_content);
    EXPECT_EQ(c.e2ee.backend, "openssl");
    EXPECT_EQ(c.e2ee.ephemeral_key_per, EphemeralKeyPer::Request);
    EXPECT_FALSE(c.e2ee.require_e2ee);
    EXPECT_EQ(c.models, (std::map<std::string, std::string>{{"e2ee-glm-*", R"({"mode":"tee-only"})"},
                                                            {"*qwen?", R"({"mode":"e2ee"})"}}));
    EXPECT_FALSE(c.tools.enabled);
    EXPECT_EQ(c.tools.mode, "none");
    EXPECT_EQ(c.tools.max_retries, 0u);
    EXPECT_EQ(c.tools.tool_call_max_bytes, 4096u);
    EXPECT_EQ(c.tools.tool_call_marker_timeout, 10s);
    EXPECT_FALSE(c.tools.validate_json_schema);
    ASSERT_EQ(c.tools.formats.size(), 2u);
    EXPECT_EQ(c.tools.formats[0].match, "deepseek");
    EXPECT_EQ(c.tools.formats[0].format, "hermes");
    EXPECT_EQ(c.tools.formats[1].match, "glm\"4");
    EXPECT_EQ(c.tools.formats[1].format, "glm-xml");
    EXPECT_EQ(c.tools.default_format, "qwen-xml");
    EXPECT_EQ(c.plugins.directories, (std::vector<std::string>{"plugins", "/opt/vep/plugins"}));
    EXPECT_EQ(c.plugins.load, (std::vector<std::string>{"e2ee-openssl", "attestation-envelope"}));
    EXPECT_EQ(c.chain.stages, (std::vector<std::string>{"request-id", "parse", "encrypt"}));
}

TEST(LoaderValues, PluginConfigIsJsonInFileOrder) {
    const Config c = load_config_file(config_data("full.toml"), {});
    ASSERT_EQ(c.plugin_config.size(), 2u);
    EXPECT_EQ(c.plugin_config.at("attestation-envelope"),
              R"({"max_age":"5m","zeta":1,"alpha":[1,2.5,"three",true],"nested":{"b":2,"a":{"deep":"yes"}},)"
              R"("when":"1979-05-27"})");
    EXPECT_EQ(c.plugin_config.at("my plugin"), "{}");
}

TEST(LoaderValues, PluginConfigRejectsNonFiniteNumbers) {
    EXPECT_EQ(testing::text_error("[plugin_config.p]\nx = inf\n"),
              "t.toml:2:5: plugin_config.p.x: inf and nan cannot be passed to a plugin (JSON has no such number)");
}

TEST(LoaderValues, SourcesRecordWhereEachKeyWasSet) {
    const std::string file = config_data("full.toml");
    const Config c = load_config_file(file, {});
    EXPECT_EQ(c.sources.at("server.port").text, file + ":4:8");
    EXPECT_EQ(c.sources.at("server.relay_threads").text, file + ":7:17");
    EXPECT_EQ(c.sources.at("limits.max_buffered_answer_bytes").text, file + ":18:29");
    EXPECT_EQ(c.sources.at("session.headers.incoming_session_id").text, file + ":43:23");
    EXPECT_EQ(c.sources.at("attestation.verifiers[1]").text, file + ":51:26");
    EXPECT_EQ(c.sources.at("tools.formats[1].match").text, file + ":74:9");
    EXPECT_EQ(c.sources.at("plugin_config.attestation-envelope.zeta").text, file + ":92:8");
    EXPECT_EQ(c.sources.at("plugin_config.attestation-envelope.nested.a.deep").text, file + ":94:32");
    EXPECT_EQ(c.sources.at("plugin_config.attestation-envelope.alpha[2]").text, file + ":93:18");
    EXPECT_EQ(c.sources.at("models.e2ee-glm-*.mode").text, file + ":85:8");
    EXPECT_EQ(c.sources.count("venice.api_key"), 1u);
    EXPECT_EQ(c.sources.count("server.nothing"), 0u);
}

TEST(LoaderValues, MissingSectionsAndKeysTakeDefaults) {
    const Config c = load_config_text("[tools]\nmode = \"none\"\n", "t.toml", {});
    const Config defaults;
    EXPECT_EQ(c.tools.mode, "none");
    EXPECT_EQ(c.tools.max_retries, defaults.tools.max_retries);
    EXPECT_EQ(c.server.port, defaults.server.port);
    EXPECT_EQ(c.session.incoming_session_id_header, defaults.session.incoming_session_id_header);
    EXPECT_TRUE(c.plugin_config.empty());
    EXPECT_EQ(c.sources.size(), 2u);
}

TEST(LoaderValues, EmptyArraysReplaceDefaults) {
    const Config c = load_config_text("[plugins]\nload = []\n[tools]\nformats = []\n", "t.toml", {});
    EXPECT_TRUE(c.plugins.load.empty());
    EXPECT_TRUE(c.tools.formats.empty());
}

}  // namespace
}  // namespace vep::host
