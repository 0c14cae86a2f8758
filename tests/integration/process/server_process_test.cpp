// The venice-e2ee-proxy binary as operators run it: CLI verbs and exit codes, start-up errors,
// graceful drain on SIGTERM (an open stream finishes, the process exits 0), and SIGHUP reload
// (the config switches a model to another tool-format plugin: an open stream completes unchanged
// on the old one, the next request uses the new one; a broken configuration is refused while
// service continues). Upstream: the venice-sim binary.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <future>
#include <sstream>

#include "proxy_stack.hpp"
#include "vep/json.hpp"

using namespace vep::test;
using ::testing::HasSubstr;
using namespace std::chrono_literals;

namespace {

// The decrypted system prompt venice-sim (--debug-plaintext) received with the chat request whose
// user message contains `needle`.
std::string system_prompt_sent_with(uint16_t sim_port, const std::string &needle) {
    const auto records = vep::json::parse(http(sim_port, "GET", "/_sim/requests").body);
    for (const auto &record : records.as_array()) {
        const auto *texts = record.find("decrypted_contents");
        if (!texts || texts->as_array().size() < 2) continue;
        const auto &all = texts->as_array();
        if (all.back().as_string().find(needle) != std::string::npos) return all.front().as_string();
    }
    return "(no request with " + needle + ")";
}

// The function name and arguments of the one tool call of a buffered answer.
std::pair<std::string, std::string> only_tool_call(const Result &r) {
    const auto body = vep::json::parse(r.body);
    const auto &calls = body.find("choices")->as_array().at(0).find("message")->find("tool_calls")->as_array();
    if (calls.size() != 1) return {std::to_string(calls.size()) + " calls", ""};
    const auto &fn = *calls[0].find("function");
    return {fn.find("name")->as_string(), fn.find("arguments")->as_string()};
}

// Distinctive lines of the two controller prompts (plugins/tools/qwen-xml and glm-xml).
const std::string kQwenXmlPrompt = "There MUST be a newline immediately after <tool_call>.";
const std::string kGlmXmlPrompt = "<arg_key>ARGUMENT_NAME</arg_key>";

}  // namespace

TEST(ProxyCli, VersionHelpAndUsage) {
    auto version = run("--version");
    EXPECT_EQ(version.first, 0);
    EXPECT_THAT(version.second, HasSubstr("venice-e2ee-proxy " VEP_VERSION));
    auto help = run("--help");
    EXPECT_EQ(help.first, 0);
    EXPECT_THAT(help.second, HasSubstr("check-config"));
    EXPECT_EQ(run("a.toml b.toml").first, 2);
}

TEST(ProxyCli, CheckConfigValidatesAndRedacts) {
    auto ok = run("check-config " + std::string(VEP_SOURCE_DIR) + "/config/default.toml",
                  {{"VENICE_E2EE_PROXY__VENICE__API_KEY", "sk-super-secret-value"},
                   {"VENICE_E2EE_PROXY__SERVER__HOST", "127.0.0.1"}});
    EXPECT_EQ(ok.first, 0) << ok.second;
    EXPECT_THAT(ok.second, HasSubstr("configuration OK"));
    EXPECT_THAT(ok.second, HasSubstr("[REDACTED]"));
    EXPECT_THAT(ok.second, ::testing::Not(HasSubstr("sk-super-secret-value")));

    const auto dir = std::filesystem::temp_directory_path() / ("vep-cli-" + std::to_string(getpid()));
    std::filesystem::create_directories(dir);
    const auto broken = (dir / "broken.toml").string();
    std::ofstream(broken) << "[server]\nport = \"eighty\"\n";
    auto bad = run("check-config " + broken);
    EXPECT_EQ(bad.first, 1);
    EXPECT_THAT(bad.second, HasSubstr(broken + ":2:8"));
    EXPECT_THAT(bad.second, HasSubstr("server.port"));

    const auto unknown_plugin = (dir / "plugin.toml").string();
    std::ofstream(unknown_plugin) << "[plugins]\nload = [\"no-such-plugin\"]\n";
    auto missing = run("check-config " + unknown_plugin);
    EXPECT_EQ(missing.first, 1);
    EXPECT_THAT(missing.second, HasSubstr("no-such-plugin"));
    EXPECT_THAT(missing.second, HasSubstr("file not found"));

    auto absent = run("check-config " + (dir / "absent.toml").string());
    EXPECT_EQ(absent.first, 1);
    EXPECT_THAT(absent.second, HasSubstr("not found"));
    std::filesystem::remove_all(dir);
}

TEST(ProxyCli, StartWithoutApiKeyFailsClosed) {
    auto r = run(kDemoConfig, {{"VENICE_E2EE_PROXY__SERVER__PORT", "0"}});
    EXPECT_EQ(r.first, 1) << r.second;
    EXPECT_THAT(r.second, HasSubstr("venice_api_key_missing"));
}

TEST(ProxyServerProcess, SigtermDrainsOpenStreamsThenExitsZero) {
    Stack stack;
    ASSERT_EQ(http(stack.port, "GET", "/healthz").status, 200);
    auto open_stream = std::async(std::launch::async, [&] {
        return http(stack.port, "POST", "/v1/chat/completions",
                    chat("sim:scenario=long chunks=15 chunk_bytes=4 interval_ms=100", true));
    });
    std::this_thread::sleep_for(500ms);  // the stream is open and pacing
    stack.proxy->signal(SIGTERM);
    Result streamed = open_stream.get();
    EXPECT_EQ(streamed.status, 200);
    EXPECT_THAT(streamed.body, HasSubstr("data: [DONE]"));
    const auto status = stack.proxy->wait_exit(15s);
    ASSERT_TRUE(status.has_value()) << stack.proxy->output();
    EXPECT_EQ(*status, 0) << stack.proxy->output();
}

TEST(ProxyServerProcess, SighupReloadsWithoutDroppingStreams) {
    const auto dir = std::filesystem::temp_directory_path() / ("vep-reload-" + std::to_string(getpid()));
    std::filesystem::create_directories(dir);
    const auto config = (dir / "proxy.toml").string();
    const std::string text = demo_config_text();
    std::ofstream(config, std::ios::trunc) << text;
    // demo-sim.toml uses $ORIGIN for plugins, so the copy in a temp dir loads the same ones.
    Stack stack(config, {"--debug-plaintext"});

    // Before: qwen models use the qwen-xml tool format.
    const std::string long_stream = "sim:scenario=long chunks=15 chunk_bytes=4";
    auto reference =
        http(stack.port, "POST", "/v1/chat/completions", tool_chat(long_stream + "\\nreference", false));
    ASSERT_EQ(reference.status, 200) << reference.body;
    const std::string expected_content =
        vep::json::parse(reference.body).find("choices")->as_array().at(0).find("message")->find("content")->as_string();
    ASSERT_FALSE(expected_content.empty());
    auto qwen_call =
        http(stack.port, "POST", "/v1/chat/completions", tool_chat("sim:scenario=tool format=qwen\\nbefore", false));
    ASSERT_EQ(qwen_call.status, 200) << qwen_call.body;
    EXPECT_EQ(only_tool_call(qwen_call), std::make_pair(std::string("get_weather"), std::string(R"({"city":"example"})")));
    EXPECT_THAT(system_prompt_sent_with(stack.sim_port, "before"), HasSubstr(kQwenXmlPrompt));

    auto open_stream = std::async(std::launch::async, [&] {
        return http(stack.port, "POST", "/v1/chat/completions",
                    tool_chat(long_stream + " interval_ms=100\\nopen stream", true));
    });
    std::this_thread::sleep_for(400ms);  // the stream is open and pacing (15 chunks, 1.5 s)
    std::string changed = text;
    const std::string qwen_rule = R"({ match = "qwen", format = "qwen-xml" })";
    ASSERT_NE(changed.find(qwen_rule), std::string::npos);
    changed.replace(changed.find(qwen_rule), qwen_rule.size(), R"({ match = "qwen", format = "glm-xml" })");
    std::ofstream(config, std::ios::trunc) << changed;
    stack.proxy->signal(SIGHUP);
    ASSERT_TRUE(stack.proxy->wait_for_line("configuration reloaded", 15s)) << stack.proxy->output();

    // The open stream completes unchanged, on the plugin it started with.
    Result streamed = open_stream.get();
    EXPECT_EQ(streamed.status, 200);
    EXPECT_EQ(streamed_content(streamed.body), expected_content);
    EXPECT_THAT(streamed.body, HasSubstr("data: [DONE]"));
    EXPECT_THAT(system_prompt_sent_with(stack.sim_port, "open stream"), HasSubstr(kQwenXmlPrompt));

    // The next request uses the new plugin: glm-xml writes the prompt and parses GLM's call syntax.
    auto glm_call =
        http(stack.port, "POST", "/v1/chat/completions", tool_chat("sim:scenario=tool format=glm\\nafter", false));
    ASSERT_EQ(glm_call.status, 200) << glm_call.body;
    EXPECT_EQ(only_tool_call(glm_call), std::make_pair(std::string("get_weather"), std::string(R"({"city":"example"})")));
    const std::string glm_prompt = system_prompt_sent_with(stack.sim_port, "after");
    EXPECT_THAT(glm_prompt, HasSubstr(kGlmXmlPrompt));
    EXPECT_THAT(glm_prompt, ::testing::Not(HasSubstr(kQwenXmlPrompt)));

    // A broken configuration is refused; the reloaded one keeps serving.
    std::ofstream(config, std::ios::trunc) << "[server]\nno_such_key = 1\n";
    stack.proxy->signal(SIGHUP);
    ASSERT_TRUE(stack.proxy->wait_for_line("reload refused", 15s)) << stack.proxy->output();
    auto still = http(stack.port, "POST", "/v1/chat/completions",
                      tool_chat("sim:scenario=tool format=glm\\nstill serving", false));
    ASSERT_EQ(still.status, 200) << still.body;
    EXPECT_EQ(only_tool_call(still).first, "get_weather");
    EXPECT_THAT(system_prompt_sent_with(stack.sim_port, "still serving"), HasSubstr(kGlmXmlPrompt));

    stack.proxy->signal(SIGTERM);
    EXPECT_EQ(stack.proxy->wait_exit(15s).value_or(-1), 0);
    std::filesystem::remove_all(dir);
}

// A chain whose core stages are missing or out of order is refused where it is configured:
// check-config names file:line:col and the stage; a SIGHUP with it keeps the running generation.
TEST(ProxyServerProcess, MisorderedCoreStagesAreRefusedByCheckConfigAndReload) {
    const auto dir = std::filesystem::temp_directory_path() / ("vep-chain-" + std::to_string(getpid()));
    std::filesystem::create_directories(dir);
    const auto config = (dir / "proxy.toml").string();
    const std::string text = demo_config_text();
    const std::string good_chain = R"(stages = ["request-id", "limits", "parse", "tools", "session", "attest", "encrypt"])";
    ASSERT_NE(text.find(good_chain), std::string::npos);
    std::string misordered = text;
    misordered.replace(misordered.find(good_chain), good_chain.size(),
                       R"(stages = ["request-id", "limits", "parse", "tools", "session", "encrypt", "attest"])");
    std::string missing = text;
    missing.replace(missing.find(good_chain), good_chain.size(), R"(stages = ["request-id", "parse", "tools", "session", "attest", "encrypt"])");
    // The line of the stages key in the file, for the expected location.
    const auto line_of_stages = std::to_string(1 + std::count(text.begin(), text.begin() + text.find(good_chain), '\n'));

    std::ofstream(config, std::ios::trunc) << misordered;
    auto bad_order = run("check-config " + config);
    EXPECT_EQ(bad_order.first, 1) << bad_order.second;
    EXPECT_THAT(bad_order.second, HasSubstr(config + ":" + line_of_stages + ":"));
    EXPECT_THAT(bad_order.second, HasSubstr("\"encrypt\" must come after \"attest\""));

    std::ofstream(config, std::ios::trunc) << missing;
    auto no_limits = run("check-config " + config);
    EXPECT_EQ(no_limits.first, 1) << no_limits.second;
    EXPECT_THAT(no_limits.second, HasSubstr(config + ":" + line_of_stages + ":"));
    EXPECT_THAT(no_limits.second, HasSubstr("\"limits\" is missing"));

    std::ofstream(config, std::ios::trunc) << text;
    Stack stack(config);
    ASSERT_EQ(http(stack.port, "POST", "/v1/chat/completions", chat("before", false)).status, 200);
    std::ofstream(config, std::ios::trunc) << misordered;
    stack.proxy->signal(SIGHUP);
    const auto refused = stack.proxy->wait_for_line("reload refused", 15s);
    ASSERT_TRUE(refused) << stack.proxy->output();
    EXPECT_THAT(*refused, HasSubstr("\"encrypt\" must come after \"attest\""));
    auto still = http(stack.port, "POST", "/v1/chat/completions", chat("still serving", false));
    EXPECT_EQ(still.status, 200) << still.body;
    EXPECT_EQ(still.headers["X-Venice-Proxy-E2EE"], "verified");

    stack.proxy->signal(SIGTERM);
    EXPECT_EQ(stack.proxy->wait_exit(15s).value_or(-1), 0);
    std::filesystem::remove_all(dir);
}

// One listener per port: a second instance on a port in use fails at start, naming the address,
// instead of sharing the port (and the traffic) with the first; the first keeps serving.
TEST(ProxyServerProcess, ASecondInstanceOnAPortInUseFailsAtStart) {
    Stack stack;
    auto second = run(kDemoConfig, {{"VENICE_E2EE_PROXY__VENICE__API_KEY", "sim-key"},
                                    {"VENICE_E2EE_PROXY__SERVER__HOST", "127.0.0.1"},
                                    {"VENICE_E2EE_PROXY__SERVER__PORT", std::to_string(stack.port)}});
    EXPECT_EQ(second.first, 1) << second.second;
    EXPECT_THAT(second.second, HasSubstr("cannot listen on 127.0.0.1:" + std::to_string(stack.port)));
    EXPECT_THAT(second.second, HasSubstr("in use"));
    EXPECT_EQ(http(stack.port, "GET", "/healthz").status, 200);
}

// Client keys as an operator manages them: `keys add` prints a secret once (the file holds only
// its hash), `keys list` shows no secret; a key revoked on disk stops working at SIGHUP while a
// stream opened with it finishes, and the other keys keep working.
TEST(ProxyServerProcess, KeysAddListRevokeAndRevocationOnReload) {
    const auto dir = std::filesystem::temp_directory_path() / ("vep-keys-" + std::to_string(getpid()));
    std::filesystem::create_directories(dir);
    const std::string keys = (dir / "keys.json").string();
    const auto secret_of = [](const std::string &out) { return out.substr(out.rfind("vep-"), 47); };
    auto alice = run("keys add --keys-file " + keys + " --id alice --label Alice");
    ASSERT_EQ(alice.first, 0) << alice.second;
    auto bob = run("keys add --keys-file " + keys + " --id bob");
    ASSERT_EQ(bob.first, 0) << bob.second;
    const std::string alice_secret = secret_of(alice.second), bob_secret = secret_of(bob.second);
    auto listed = run("keys list --keys-file " + keys);
    EXPECT_EQ(listed.first, 0);
    EXPECT_THAT(listed.second, HasSubstr("alice\tAlice\tall models"));
    EXPECT_THAT(listed.second, ::testing::Not(HasSubstr(alice_secret)));
    EXPECT_EQ(run("keys revoke --keys-file " + keys + " nobody").first, 1);
    EXPECT_EQ(run("keys frobnicate --keys-file " + keys).first, 2);

    const std::string config = (dir / "proxy.toml").string();
    std::ofstream(config) << demo_config_text() << "\n[auth]\nkeys_file = \"" << keys << "\"\n";
    Stack stack(config);
    const auto with_key = [&](const std::string &secret, const std::string &body) {
        return http(stack.port, "POST", "/v1/chat/completions", body, {{"Authorization", "Bearer " + secret}});
    };
    EXPECT_EQ(http(stack.port, "POST", "/v1/chat/completions", chat("no key", false)).status, 401);
    EXPECT_EQ(with_key(alice_secret, chat("alice", false)).status, 200);

    auto open_stream = std::async(std::launch::async, [&] {
        return with_key(alice_secret, chat("sim:scenario=long chunks=15 chunk_bytes=4 interval_ms=100", true));
    });
    std::this_thread::sleep_for(400ms);
    ASSERT_EQ(run("keys revoke --keys-file " + keys + " alice").first, 0);
    stack.proxy->signal(SIGHUP);
    ASSERT_TRUE(stack.proxy->wait_for_line("configuration reloaded", 15s)) << stack.proxy->output();
    EXPECT_EQ(with_key(alice_secret, chat("alice again", false)).status, 401);
    EXPECT_EQ(with_key(bob_secret, chat("bob", false)).status, 200);
    const auto streamed = open_stream.get();
    EXPECT_EQ(streamed.status, 200);
    EXPECT_THAT(streamed.body, HasSubstr("data: [DONE]"));
    EXPECT_THAT(stack.proxy->output(), HasSubstr("key=alice"));
    EXPECT_THAT(stack.proxy->output(), ::testing::Not(HasSubstr(alice_secret)));

    stack.proxy->signal(SIGTERM);
    EXPECT_EQ(stack.proxy->wait_exit(15s).value_or(-1), 0);
    std::filesystem::remove_all(dir);
}

// A key's request rate belongs to the process, not to a configuration: a reload does not reset it.
TEST(ProxyServerProcess, PerKeyRateLimitSurvivesAReload) {
    const auto dir = std::filesystem::temp_directory_path() / ("vep-rate-" + std::to_string(getpid()));
    std::filesystem::create_directories(dir);
    const std::string keys = (dir / "keys.json").string();
    auto added = run("keys add --keys-file " + keys + " --id limited --rpm 2");
    ASSERT_EQ(added.first, 0) << added.second;
    const std::string secret = added.second.substr(added.second.rfind("vep-"), 47);
    const std::string config = (dir / "proxy.toml").string();
    std::ofstream(config) << demo_config_text() << "\n[auth]\nkeys_file = \"" << keys << "\"\n";
    Stack stack(config);
    const auto models = [&] { return http(stack.port, "GET", "/v1/models", "", {{"x-api-key", secret}}).status; };
    EXPECT_EQ(models(), 200);
    EXPECT_EQ(models(), 200);
    stack.proxy->signal(SIGHUP);
    ASSERT_TRUE(stack.proxy->wait_for_line("configuration reloaded", 15s)) << stack.proxy->output();
    EXPECT_EQ(models(), 429);
    stack.proxy->signal(SIGTERM);
    EXPECT_EQ(stack.proxy->wait_exit(15s).value_or(-1), 0);
    std::filesystem::remove_all(dir);
}

// A key's daily completion-token budget: the answer that spends it completes, the next chat request
// is refused with 429 token_budget_exceeded and a Retry-After up to 00:00 UTC, other routes and
// other keys are still served, and a reload does not reset the spending.
TEST(ProxyServerProcess, DailyTokenBudgetRefusesChatOnceSpent) {
    const auto dir = std::filesystem::temp_directory_path() / ("vep-budget-" + std::to_string(getpid()));
    std::filesystem::create_directories(dir);
    const std::string keys = (dir / "keys.json").string();
    auto added = run("keys add --keys-file " + keys + " --id thrifty --daily-tokens 20");
    ASSERT_EQ(added.first, 0) << added.second;
    const std::string thrifty = added.second.substr(added.second.rfind("vep-"), 47);
    auto other = run("keys add --keys-file " + keys + " --id other");
    const std::string other_secret = other.second.substr(other.second.rfind("vep-"), 47);
    EXPECT_THAT(run("keys list --keys-file " + keys).second, HasSubstr("20 tokens/day"));
    EXPECT_EQ(run("keys add --keys-file " + keys + " --daily-tokens 1000000000001").first, 2);
    const std::string config = (dir / "proxy.toml").string();
    std::ofstream(config) << demo_config_text() << "\n[auth]\nkeys_file = \"" << keys << "\"\n";
    Stack stack(config);
    const auto ask = [&](const std::string &secret) {
        return http(stack.port, "POST", "/v1/chat/completions",
                    chat("sim:scenario=long chunks=30 chunk_bytes=4\\nbudget", true), {{"x-api-key", secret}});
    };
    const Result first = ask(thrifty);  // venice-sim reports 30 completion tokens: past the budget
    EXPECT_EQ(first.status, 200) << first.body;
    EXPECT_THAT(first.body, HasSubstr("data: [DONE]"));
    stack.proxy->signal(SIGHUP);
    ASSERT_TRUE(stack.proxy->wait_for_line("configuration reloaded", 15s)) << stack.proxy->output();
    const Result refused = ask(thrifty);
    ASSERT_TRUE(refused.headers.count("Retry-After")) << refused.body;
    EXPECT_EQ(refused.status, 429) << refused.body;
    EXPECT_EQ(refused.headers.at("X-Venice-Proxy-Error-Code"), "token_budget_exceeded");
    const int retry_after = std::stoi(refused.headers.at("Retry-After"));
    EXPECT_GT(retry_after, 0);
    EXPECT_LE(retry_after, 86400);
    EXPECT_EQ(http(stack.port, "GET", "/v1/models", "", {{"x-api-key", thrifty}}).status, 200);
    EXPECT_EQ(ask(other_secret).status, 200);
    stack.proxy->signal(SIGTERM);
    EXPECT_EQ(stack.proxy->wait_exit(15s).value_or(-1), 0);
    std::filesystem::remove_all(dir);
}

// The reference default (host 0.0.0.0) with no client keys would let anyone who can reach the
// port spend the Venice key: check-config and start-up refuse it, naming the ways out, each of
// which works.
TEST(ProxyCli, AnUnauthenticatedNonLoopbackListenerIsRefused) {
    const std::string default_toml = std::string(VEP_SOURCE_DIR) + "/config/default.toml";
    auto exposed = run("check-config " + default_toml, {{"VENICE_E2EE_PROXY__VENICE__API_KEY", "sk-x"}});
    EXPECT_EQ(exposed.first, 1) << exposed.second;
    EXPECT_THAT(exposed.second, HasSubstr(default_toml + ":"));
    EXPECT_THAT(exposed.second, HasSubstr("server.host = \"0.0.0.0\" is not a loopback address"));
    EXPECT_THAT(exposed.second, HasSubstr("[auth] keys_file"));
    EXPECT_THAT(exposed.second, HasSubstr("server.allow_unauthenticated = true"));
    auto started = run(default_toml, {{"VENICE_E2EE_PROXY__VENICE__API_KEY", "sk-x"}, {"VENICE_E2EE_PROXY__SERVER__PORT", "0"}});
    EXPECT_EQ(started.first, 1) << started.second;
    EXPECT_THAT(started.second, HasSubstr("is not a loopback address"));

    EXPECT_EQ(run("check-config " + default_toml, {{"VENICE_E2EE_PROXY__VENICE__API_KEY", "sk-x"},
                                                   {"VENICE_E2EE_PROXY__SERVER__ALLOW_UNAUTHENTICATED", "true"}})
                  .first,
              0);
    const auto dir = std::filesystem::temp_directory_path() / ("vep-exposure-" + std::to_string(getpid()));
    std::filesystem::create_directories(dir);
    const std::string keys = (dir / "keys.json").string();
    ASSERT_EQ(run("keys add --keys-file " + keys).first, 0);
    EXPECT_EQ(run("check-config " + default_toml,
                  {{"VENICE_E2EE_PROXY__VENICE__API_KEY", "sk-x"}, {"VENICE_E2EE_PROXY__AUTH__KEYS_FILE", keys}})
                  .first,
              0);
    std::filesystem::remove_all(dir);
}
