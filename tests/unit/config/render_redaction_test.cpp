// render_effective_config and the API key: the key never appears in rendered text or in any
// ConfigError message; the rendered text loads back to the same settings.
#include <gtest/gtest.h>

#include "config_compare.hpp"
#include "config_test_support.hpp"

namespace vep::host {
namespace {

using testing::config_data;
using testing::env_of;
using testing::text_error;

constexpr const char *kKey = "sk-full-file-key-0123456789";

TEST(Render, RedactsTheApiKey) {
    const Config c = load_config_file(config_data("full.toml"), {});
    const std::string rendered = render_effective_config(c);
    EXPECT_EQ(rendered.find(kKey), std::string::npos);
    EXPECT_NE(rendered.find("api_key = \"[REDACTED]\"\n"), std::string::npos);
}

TEST(Render, BlankApiKeyIsShownEmpty) {
    Config c;
    c.venice.api_key = Secret("   ");
    EXPECT_NE(render_effective_config(c).find("api_key = \"\"\n"), std::string::npos);
}

TEST(Render, LoadsBackToTheSameSettings) {
    const Config original = load_config_file(config_data("full.toml"), {});
    const Config reloaded = load_config_text(render_effective_config(original), "rendered.toml", {});
    testing::expect_same_settings(reloaded, original, false);
    EXPECT_EQ(reloaded.venice.api_key.expose(), Secret::redacted());
}

TEST(Render, DefaultsRenderAndReload) {
    const Config reloaded = load_config_text(render_effective_config(Config{}), "rendered.toml", {});
    testing::expect_same_settings(reloaded, Config{});
}

TEST(Render, RendersSectionsInDefaultTomlOrder) {
    const std::string rendered = render_effective_config(Config{});
    const char *headers[] = {"[server]", "[limits]", "[logging]", "[venice]", "[keys]", "[session]",
                             "[session.headers]", "[attestation]", "[e2ee]", "[tools]", "[plugins]", "[chain]"};
    size_t at = 0;
    for (const char *header : headers) {
        const size_t found = rendered.find(std::string(header) + "\n", at);
        ASSERT_NE(found, std::string::npos) << header;
        at = found;
    }
    EXPECT_NE(rendered.find("receive_timeout = \"1m\"\n"), std::string::npos);
    EXPECT_NE(rendered.find("formats = [{ match = \"glm\", format = \"glm-xml\" }, { match = \"qwen\", format = "
                            "\"qwen-xml\" }]\n"),
              std::string::npos);
}

TEST(Redaction, TypeErrorsDoNotEchoTheKey) {
    const std::string message = text_error("[venice]\napi_key = 123456789\n");
    EXPECT_EQ(message, "t.toml:2:11: venice.api_key: expected a string, got integer");
}

TEST(Redaction, SyntaxErrorOnTheKeyLineDoesNotEchoIt) {
    const std::string message = text_error(std::string("[venice]\napi_key = \"") + kKey + "\n");
    EXPECT_EQ(message.find(kKey), std::string::npos) << message;
    EXPECT_TRUE(message.starts_with("t.toml:2:")) << message;
}

TEST(Redaction, KeyFromTheFileIsScrubbedFromMessages) {
    const std::string toml = std::string("[venice]\napi_key = \"") + kKey + "\"\n[plugins]\nload = [\"" + kKey +
                             "\", \"" + kKey + "\"]\n";
    const std::string message = text_error(toml);
    EXPECT_EQ(message.find(kKey), std::string::npos) << message;
    EXPECT_EQ(message, "t.toml:4:40: invalid config value for plugins.load: \"[REDACTED]\" is listed twice");
}

TEST(Redaction, KeyFromTheEnvironmentIsScrubbedFromMessages) {
    const std::string secret = "env-secret-value-42";
    const std::string message = text_error("[plugins]\nload = [\"x\"]\n[e2ee]\nbackend = \"\"\n",
                                           env_of({{"VENICE_E2EE_PROXY__VENICE__API_KEY", secret},
                                                   {"VENICE_E2EE_PROXY__CHAIN__STAGES", "[\"" + secret + "\", \"" +
                                                                                            secret + "\"]"}}));
    EXPECT_EQ(message.find(secret), std::string::npos) << message;
    EXPECT_NE(message.find("invalid config value for e2ee.backend"), std::string::npos) << message;
    const std::string duplicate = text_error("", env_of({{"VENICE_E2EE_PROXY__VENICE__API_KEY", secret},
                                                         {"VENICE_E2EE_PROXY__CHAIN__STAGES",
                                                          "[\"" + secret + "\", \"" + secret + "\"]"}}));
    EXPECT_EQ(duplicate, "env VENICE_E2EE_PROXY__CHAIN__STAGES: invalid config value for chain.stages: "
                         "\"[REDACTED]\" is listed twice");
}

}  // namespace
}  // namespace vep::host
