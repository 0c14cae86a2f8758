// Start-up without a config file, as containers run the proxy: the built-in defaults plus
// VENICE_E2EE_PROXY__* environment variables alone, announced by the first log line; it serves,
// reloads and drains like a file-configured proxy. A named config file that is missing stays a
// start-up error, and the exposure rule still holds. Upstream: the venice-sim binary.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <csignal>
#include <sstream>

#include "proxy_stack.hpp"

using namespace vep::test;
using ::testing::HasSubstr;
using ::testing::Not;
using namespace std::chrono_literals;

namespace {

// The first line of `output` written by the logger (it starts with the year of its timestamp).
std::string first_log_line(const std::string &output) {
    std::istringstream lines(output);
    for (std::string line; std::getline(lines, line);)
        if (line.size() > 4 && line.rfind("20", 0) == 0 && line[4] == '-') return line;
    return "(no log line in: " + output + ")";
}

// A venice-sim child on an ephemeral port; its base URL.
struct Sim {
    Sim() : process(kSim, {"--port", "0"}) {
        const auto line = process.wait_for_line("listening on", 30s);
        if (!line) throw std::runtime_error("venice-sim did not start: " + process.output());
        url = line->substr(line->find("http"));
    }
    ChildProcess process;
    std::string url;
};

const std::string kChat =
    R"({"model":"e2ee-qwen3-235b-a22b-p","stream":true,"messages":[{"role":"user","content":"hello from env"}]})";

}  // namespace

TEST(EnvironmentOnlyStart, ServesOnDefaultsAndEnvironmentThenDrains) {
    Sim sim;
    ChildProcess proxy(kProxy, {},
                       {{"VENICE_E2EE_PROXY__VENICE__BASE_URL", sim.url},
                        {"VENICE_E2EE_PROXY__VENICE__API_KEY", "sim-key"},
                        {"VENICE_E2EE_PROXY__SERVER__HOST", "127.0.0.1"},
                        {"VENICE_E2EE_PROXY__SERVER__PORT", "0"},
                        {"VENICE_E2EE_PROXY__SERVER__SHUTDOWN_GRACE", "5s"}});
    const auto listening = proxy.wait_for_line("listening on", 30s);
    ASSERT_TRUE(listening.has_value()) << proxy.output();
    const uint16_t port = port_of(*listening);
    EXPECT_THAT(first_log_line(proxy.output()), HasSubstr("no config file given"));
    EXPECT_THAT(first_log_line(proxy.output()), HasSubstr("VENICE_E2EE_PROXY__"));

    EXPECT_EQ(http(port, "GET", "/healthz").status, 200);
    const Result streamed = http(port, "POST", "/v1/chat/completions", kChat);
    EXPECT_EQ(streamed.status, 200) << streamed.body;
    EXPECT_THAT(streamed.body, HasSubstr("data: [DONE]"));
    EXPECT_FALSE(streamed_content(streamed.body).empty()) << streamed.body;

    proxy.signal(SIGHUP);
    EXPECT_TRUE(proxy.wait_for_line("configuration reloaded from the defaults and VENICE_E2EE_PROXY__", 15s))
        << proxy.output();
    EXPECT_EQ(http(port, "POST", "/v1/chat/completions", kChat).status, 200);

    proxy.signal(SIGTERM);
    const auto status = proxy.wait_exit(15s);
    ASSERT_TRUE(status.has_value()) << proxy.output();
    EXPECT_EQ(*status, 0) << proxy.output();
}

// Without a file the default host is 0.0.0.0: with no client authentication the proxy refuses to
// start and names the fixes, which work through the environment too.
TEST(EnvironmentOnlyStart, ExposedDefaultListenerWithoutClientKeysIsRefused) {
    const auto refused = run("", {{"VENICE_E2EE_PROXY__VENICE__API_KEY", "sk-x"}, {"VENICE_E2EE_PROXY__SERVER__PORT", "0"}});
    EXPECT_EQ(refused.first, 1) << refused.second;
    EXPECT_THAT(refused.second, HasSubstr("no config file given"));
    EXPECT_THAT(refused.second, HasSubstr("server.host = \"0.0.0.0\" is not a loopback address"));
    EXPECT_THAT(refused.second, HasSubstr("[auth] keys_file"));
}

TEST(EnvironmentOnlyStart, WithoutApiKeyFailsClosed) {
    const auto r = run("", {{"VENICE_E2EE_PROXY__SERVER__HOST", "127.0.0.1"}, {"VENICE_E2EE_PROXY__SERVER__PORT", "0"}});
    EXPECT_EQ(r.first, 1) << r.second;
    EXPECT_THAT(r.second, HasSubstr("venice_api_key_missing"));
}

TEST(EnvironmentOnlyStart, ANamedMissingFileStaysAnError) {
    const auto r = run("/nonexistent/venice-e2ee-proxy.toml",
                       {{"VENICE_E2EE_PROXY__VENICE__API_KEY", "sk-x"}, {"VENICE_E2EE_PROXY__SERVER__HOST", "127.0.0.1"},
                        {"VENICE_E2EE_PROXY__SERVER__PORT", "0"}});
    EXPECT_EQ(r.first, 1) << r.second;
    EXPECT_THAT(r.second, HasSubstr("not found"));
    EXPECT_THAT(r.second, Not(HasSubstr("listening on")));
}
