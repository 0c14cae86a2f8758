// config/default.toml is the default-constructed Config, lists every key, and the reference's
// keys keep the reference's defaults.
#include <gtest/gtest.h>

#include <sstream>

#include "config_compare.hpp"
#include "config_test_support.hpp"

namespace vep::host {
namespace {

using namespace std::chrono_literals;
using testing::default_toml_path;

TEST(Defaults, DefaultTomlEqualsDefaultConstructedConfig) {
    const Config loaded = load_config_file(default_toml_path(), {});
    testing::expect_same_settings(loaded, Config{});
}

TEST(Defaults, ReferenceKeysHaveTheReferenceDefaults) {
    const Config c;
    EXPECT_EQ(c.server.host, "0.0.0.0");
    EXPECT_EQ(c.server.port, 8080);
    EXPECT_EQ(c.logging.level, "info");
    EXPECT_EQ(c.venice.base_url, "https://api.venice.ai/api/v1");
    EXPECT_TRUE(c.venice.api_key.blank());
    EXPECT_EQ(c.venice.request_timeout, 30s);
    EXPECT_TRUE(c.keys.generate_proxy_instance_key_on_startup);
    EXPECT_EQ(c.session.idle_ttl, 10min);
    EXPECT_EQ(c.session.max_ttl, 30min);
    EXPECT_EQ(c.session.max_requests, 100u);
    EXPECT_EQ(c.session.fallback_scope, FallbackScope::Request);
    EXPECT_EQ(c.session.incoming_session_id_header, "X-Venice-Proxy-Session-Id");
    EXPECT_EQ(c.attestation.mode, "independent");
    EXPECT_FALSE(c.attestation.require_tdx);
    EXPECT_EQ(c.attestation.require_nvidia, RequireNvidia::Never);
    EXPECT_FALSE(c.attestation.allow_debug);
    EXPECT_EQ(c.attestation.pccs_url, "");
    EXPECT_EQ(c.attestation.receipts, ReceiptMode::Off);
    EXPECT_EQ(c.e2ee.hkdf_info, "ecdsa_encryption");
    EXPECT_TRUE(c.e2ee.require_encrypted_response_content);
    EXPECT_TRUE(c.e2ee.require_e2ee);
    EXPECT_TRUE(c.models.empty());
    EXPECT_TRUE(c.tools.enabled);
    EXPECT_EQ(c.tools.mode, "emulated");
    EXPECT_EQ(c.tools.max_retries, 2u);
    EXPECT_EQ(c.tools.tool_call_max_bytes, 65536u);
    EXPECT_EQ(c.tools.tool_call_marker_timeout, 30s);
    EXPECT_TRUE(c.tools.validate_json_schema);
}

// Every key the renderer writes (i.e. every setting) is written in default.toml.
TEST(Defaults, DefaultTomlSetsEveryKey) {
    const Config loaded = load_config_file(default_toml_path(), {});
    std::istringstream rendered(render_effective_config(Config{}));
    std::string table;
    size_t keys = 0;
    for (std::string line; std::getline(rendered, line);) {
        if (line.starts_with("[")) {
            table = line.substr(1, line.size() - 2);
            continue;
        }
        const size_t equals = line.find(" = ");
        if (equals == std::string::npos) continue;
        const std::string path = table + "." + line.substr(0, equals);
        EXPECT_EQ(loaded.sources.count(path), 1u) << path << " is missing from config/default.toml";
        ++keys;
    }
    EXPECT_EQ(keys, 68u);
}

TEST(Defaults, NewRequestAndAnswerLimits) {
    const Config c;
    EXPECT_EQ(c.server.request_read_timeout, 30s);
    EXPECT_EQ(c.server.max_connections_per_client, 64u);
    EXPECT_EQ(c.limits.max_buffered_answer_bytes, 16u * 1024 * 1024);
    const Config loaded = load_config_file(default_toml_path(), {});
    EXPECT_EQ(loaded.server.request_read_timeout, 30s);
    EXPECT_EQ(loaded.server.max_connections_per_client, 64u);
    EXPECT_EQ(loaded.limits.max_buffered_answer_bytes, 16777216u);
}

TEST(Defaults, DefaultTomlRecordsPathAndDirectory) {
    const Config loaded = load_config_file(default_toml_path(), {});
    EXPECT_EQ(loaded.path, default_toml_path());
    EXPECT_EQ(loaded.directory, std::string(VEP_SOURCE_DIR) + "/config");
    EXPECT_TRUE(loaded.plugin_config.empty());
    EXPECT_TRUE(loaded.aliases.empty());
}

}  // namespace
}  // namespace vep::host
