// The admin listener and its /metrics as operators run them: real traffic through the
// venice-e2ee-proxy and venice-sim binaries (streamed, buffered, a decryption fault, a tool-call
// correction, a failed correction, a reload that took effect and one that was refused) moves the
// counters it must, the exposition passes `promtool check metrics` and carries no prompt or nonce;
// POST /admin/reload keeps an open stream; the admin token is enforced when set, and a
// non-loopback admin listener without a token is refused at start-up; logging.format = "json"
// writes one JSON object a line.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <functional>
#include <future>
#include <regex>

#include "proxy_stack.hpp"
#include "vep/json.hpp"

using namespace vep::test;
using ::testing::HasSubstr;
using namespace std::chrono_literals;

namespace {

const std::map<std::string, std::string> kAdminOn{{"VENICE_E2EE_PROXY__ADMIN__ENABLED", "true"},
                                                  {"VENICE_E2EE_PROXY__ADMIN__PORT", "0"}};

// The samples of an exposition: series (name and labels, as written) -> value.
std::map<std::string, double> samples_of(const std::string &exposition) {
    std::map<std::string, double> samples;
    std::istringstream lines(exposition);
    for (std::string line; std::getline(lines, line);) {
        if (line.empty() || line[0] == '#') continue;
        const auto space = line.rfind(' ');
        samples[line.substr(0, space)] = std::stod(line.substr(space + 1));
    }
    return samples;
}

double value_of(const std::map<std::string, double> &samples, const std::string &series) {
    const auto it = samples.find(series);
    return it == samples.end() ? 0 : it->second;
}

// Polls `condition` every 20 ms for at most 10 s; whether it held.
bool wait_for(const std::function<bool()> &condition) {
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    while (!condition()) {
        if (std::chrono::steady_clock::now() >= deadline) return false;
        std::this_thread::sleep_for(20ms);
    }
    return true;
}

// A temporary directory holding an editable copy of demo-sim.toml.
struct ConfigCopy {
    ConfigCopy() {
        std::filesystem::create_directories(dir);
        write(demo_config_text());
    }
    ~ConfigCopy() { std::filesystem::remove_all(dir); }
    void write(const std::string &text) const { std::ofstream(path, std::ios::trunc) << text; }
    const std::filesystem::path dir =
        std::filesystem::temp_directory_path() / ("vep-metrics-" + std::to_string(getpid()));
    const std::string path = (dir / "proxy.toml").string();
};

// `promtool check metrics` on `exposition`: its exit status and output; nullopt without promtool.
std::optional<std::pair<int, std::string>> promtool_check_metrics(const std::string &exposition,
                                                                  const std::filesystem::path &dir) {
    if (std::system("command -v promtool >/dev/null 2>&1") != 0) return std::nullopt;
    const auto input = (dir / "metrics.txt").string();
    const auto output = (dir / "promtool.txt").string();
    std::ofstream(input) << exposition;
    const int status = std::system(("promtool check metrics < " + input + " > " + output + " 2>&1").c_str());
    std::ifstream in(output);
    std::stringstream text;
    text << in.rdbuf();
    return std::make_pair(WEXITSTATUS(status), text.str());
}

}  // namespace

TEST(MetricsProcess, RealTrafficMovesTheCountersAndPromtoolAcceptsTheExposition) {
    ConfigCopy config;
    Stack stack(config.path, {}, kAdminOn);
    const auto before = samples_of(http(stack.admin_port, "GET", "/metrics").body);
    EXPECT_EQ(value_of(before, "vep_config_generation"), 1);

    const auto streamed = http(stack.port, "POST", "/v1/chat/completions", chat("metrics secret streamed", true));
    ASSERT_EQ(streamed.status, 200) << streamed.body;
    const auto buffered = http(stack.port, "POST", "/v1/chat/completions", chat("metrics secret buffered", false));
    ASSERT_EQ(buffered.status, 200) << buffered.body;
    const auto fault = http(stack.port, "POST", "/v1/chat/completions",
                            chat("sim:scenario=echo fault=wrong_key_chunk\\nmetrics secret fault", true));
    EXPECT_THAT(fault.body, HasSubstr("e2ee_response_decryption_failed"));
    const auto corrected = http(stack.port, "POST", "/v1/chat/completions",
                                tool_chat("sim:scenario=tool variant=fail_then_succeed\\nweather", false));
    ASSERT_EQ(corrected.status, 200) << corrected.body;
    const auto failed = http(stack.port, "POST", "/v1/chat/completions",
                             tool_chat("sim:scenario=tool variant=always_malformed\\nweather", false));
    EXPECT_EQ(failed.status, 502) << failed.body;
    EXPECT_EQ(http(stack.port, "GET", "/no/such/route").status, 404);
    // Sequential requests share pooled connections; the pool's counters are process-wide, so the
    // reload (a new pool) does not set them back.
    const auto before_reload = samples_of(http(stack.admin_port, "GET", "/metrics").body);
    EXPECT_GE(value_of(before_reload, "vep_upstream_connections_reused_total"), 5);
    EXPECT_LT(value_of(before_reload, "vep_upstream_connections_opened_total"),
              value_of(before_reload, "vep_upstream_connections_reused_total"));
    EXPECT_EQ(http(stack.admin_port, "POST", "/admin/reload").status, 200);
    config.write("[server]\nno_such_key = 1\n");
    const auto refused = http(stack.admin_port, "POST", "/admin/reload");
    EXPECT_EQ(refused.status, 500);
    EXPECT_EQ(refused.headers.at("X-Venice-Proxy-Error-Code"), "config_reload_failed");
    EXPECT_THAT(refused.body, HasSubstr("no_such_key"));

    // A request is counted right after its last bytes went out: the scrape waits (bounded) until
    // the last two are in — the failed tool call's last counter and the 404.
    const std::string chat_route = R"(vep_requests_total{route="/v1/chat/completions",)";
    const std::string failed_tool_call = R"(vep_tool_calls_total{format="qwen-xml",outcome="failed"})";
    const std::string not_found = R"(vep_requests_total{route="other",status="404",code="not_found"})";
    std::string exposition;
    ASSERT_TRUE(wait_for([&] {
        exposition = http(stack.admin_port, "GET", "/metrics").body;
        const auto now = samples_of(exposition);
        return value_of(now, failed_tool_call) > value_of(before, failed_tool_call) &&
               value_of(now, not_found) > value_of(before, not_found);
    })) << exposition;
    const auto after = samples_of(exposition);
    const auto moved = [&](const std::string &series) { return value_of(after, series) - value_of(before, series); };
    EXPECT_EQ(moved(chat_route + R"(status="200",code=""})"), 3) << exposition;
    EXPECT_EQ(moved(chat_route + R"(status="502",code="e2ee_response_decryption_failed"})"), 1) << exposition;
    EXPECT_EQ(moved(chat_route + R"(status="502",code="invalid_tool_call"})"), 1) << exposition;
    EXPECT_EQ(moved(not_found), 1) << exposition;
    EXPECT_EQ(moved(R"(vep_chat_requests_total{key="",model="e2ee-qwen3-235b-a22b-p",outcome="succeeded"})"), 3);
    EXPECT_EQ(moved(R"(vep_chat_requests_total{key="",model="e2ee-qwen3-235b-a22b-p",outcome="failed"})"), 2);
    EXPECT_EQ(moved("vep_chat_decrypt_failures_total"), 1);
    EXPECT_GE(moved("vep_chat_chunks_relayed_total"), 2);
    EXPECT_EQ(moved(R"(vep_tool_calls_total{format="qwen-xml",outcome="corrected"})"), 1) << exposition;
    EXPECT_EQ(moved(failed_tool_call), 1) << exposition;
    EXPECT_EQ(moved("vep_chat_tool_retries_total"), 1 + 2);  // tools.max_retries = 2
    EXPECT_EQ(moved("vep_chat_upstream_attempts_total"), 5 + 3);
    EXPECT_EQ(moved(R"(vep_chat_time_to_first_byte_seconds_count{stream="true"})"), 2);
    EXPECT_EQ(moved(R"(vep_chat_time_to_first_byte_seconds_count{stream="false"})"), 2);
    EXPECT_EQ(moved(R"(vep_chat_duration_seconds_count{stream="true"})"), 2);
    EXPECT_GE(moved(R"(vep_attestation_rounds_total{outcome="verified",code=""})"), 1);
    EXPECT_GE(moved(R"(vep_attestation_checks_total{verifier="tdx-dcap",check="quote_signature",outcome="pass"})"), 1)
        << exposition;
    EXPECT_GE(moved("vep_attestation_fetch_seconds_count"), 1);
    EXPECT_GE(moved("vep_upstream_connect_seconds_count"), 1);
    for (const char *pool_series : {"vep_upstream_connections_opened_total", "vep_upstream_connections_reused_total"})
        EXPECT_GE(value_of(after, pool_series), value_of(before_reload, pool_series)) << pool_series;
    EXPECT_EQ(value_of(after, "vep_config_generation"), 2);
    EXPECT_EQ(value_of(after, "vep_config_reloads_total"), 1);
    EXPECT_EQ(value_of(after, "vep_config_reload_failures_total"), 1);
    EXPECT_EQ(value_of(after, R"(vep_build_info{version=")" VEP_VERSION R"(",abi_version="1.1"})"), 1) << exposition;
    EXPECT_THAT(exposition, HasSubstr(R"(vep_plugin_info{name="tdx-dcap",kind="attestation",version=")"));
    EXPECT_GE(value_of(after, "vep_sessions_open"), 0);

    // No prompt, answer or nonce (64 hex) in any label.
    EXPECT_THAT(exposition, ::testing::Not(HasSubstr("metrics secret")));
    EXPECT_FALSE(std::regex_search(exposition, std::regex("[0-9a-f]{64}")));

    const auto check = promtool_check_metrics(exposition, config.dir);
    if (!check) GTEST_SKIP() << "promtool is not installed (Debian package prometheus): exposition not linted";
    EXPECT_EQ(check->first, 0) << check->second;
    EXPECT_EQ(check->second, "") << check->second;
}

TEST(AdminListener, ReloadThroughTheAdminPortKeepsAnOpenStream) {
    ConfigCopy config;
    Stack stack(config.path, {}, kAdminOn);
    auto open_stream = std::async(std::launch::async, [&] {
        return http(stack.port, "POST", "/v1/chat/completions",
                    chat("sim:scenario=long chunks=20 chunk_bytes=4 interval_ms=75\\nopen", true));
    });
    ASSERT_TRUE(wait_for([&] {
        return samples_of(http(stack.admin_port, "GET", "/metrics").body)["vep_relay_answers_open"] == 1;
    }));
    const auto reloaded = http(stack.admin_port, "POST", "/admin/reload");
    EXPECT_EQ(reloaded.status, 200) << reloaded.body;
    EXPECT_THAT(reloaded.body, HasSubstr(R"("generation":2)"));
    const auto streamed = open_stream.get();
    EXPECT_EQ(streamed.status, 200);
    EXPECT_THAT(streamed.body, HasSubstr("data: [DONE]"));
    EXPECT_EQ(http(stack.admin_port, "GET", "/healthz").status, 200);
    EXPECT_EQ(http(stack.admin_port, "GET", "/v1/models").status, 404);
    EXPECT_EQ(http(stack.admin_port, "GET", "/admin/reload").status, 405);
    // A web page cannot reach a tokenless loopback admin listener.
    EXPECT_EQ(http(stack.admin_port, "POST", "/admin/reload", "", {{"Origin", "http://evil.example"}}).status, 403);
}

TEST(AdminListener, TheAdminTokenIsRequiredOnceSet) {
    ConfigCopy config;
    const auto token_file = (config.dir / "admin-token").string();
    const std::string token = "0123456789abcdef0123456789abcdef-admin";
    std::ofstream(token_file) << token << "\n";
    auto env = kAdminOn;
    env["VENICE_E2EE_PROXY__ADMIN__TOKEN_FILE"] = token_file;
    Stack stack(config.path, {}, env);
    const auto missing = http(stack.admin_port, "GET", "/metrics");
    EXPECT_EQ(missing.status, 401);
    EXPECT_EQ(missing.headers.at("WWW-Authenticate"), "Bearer");
    EXPECT_EQ(http(stack.admin_port, "GET", "/metrics", "", {{"Authorization", "Bearer wrong"}}).status, 401);
    EXPECT_EQ(http(stack.admin_port, "POST", "/admin/reload", "", {{"Authorization", "Bearer " + token + "x"}}).status,
              401);
    EXPECT_EQ(http(stack.admin_port, "GET", "/metrics", "", {{"Authorization", "Bearer " + token}}).status, 200);
    // The client port does not serve the admin routes.
    EXPECT_EQ(http(stack.port, "GET", "/metrics").status, 404);
}

TEST(AdminListener, ANonLoopbackAdminListenerWithoutATokenIsRefused) {
    ChildProcess proxy(kProxy, {kDemoConfig},
                       {{"VENICE_E2EE_PROXY__VENICE__API_KEY", "sim-key"},
                        {"VENICE_E2EE_PROXY__SERVER__PORT", "0"},
                        {"VENICE_E2EE_PROXY__ADMIN__ENABLED", "true"},
                        {"VENICE_E2EE_PROXY__ADMIN__PORT", "0"},
                        {"VENICE_E2EE_PROXY__ADMIN__HOST", "0.0.0.0"}});
    proxy.wait_for_line("\x01never", 10s);
    EXPECT_EQ(proxy.wait_exit(10s).value_or(-1), 1);
    EXPECT_THAT(proxy.output(), HasSubstr("admin.host = \"0.0.0.0\" is not a loopback address"));
    EXPECT_THAT(proxy.output(), HasSubstr("admin.token_file"));
    EXPECT_THAT(proxy.output(), ::testing::Not(HasSubstr("listening on")));
}

TEST(JsonLogs, LoggingFormatJsonWritesOneObjectALineWithTheTextFields) {
    Stack stack(kDemoConfig, {},
                {{"VENICE_E2EE_PROXY__LOGGING__FORMAT", "json"}, {"VENICE_E2EE_PROXY__LOGGING__LEVEL", "info"}});
    ASSERT_EQ(http(stack.port, "POST", "/v1/chat/completions", chat("json log secret", false)).status, 200);
    const auto line = stack.proxy->wait_for_line(R"("logger":"proxy.http")", 10s);
    ASSERT_TRUE(line) << stack.proxy->output();
    const auto record = vep::json::parse(*line);
    EXPECT_EQ(record.find("level")->as_string(), "info");
    EXPECT_TRUE(std::regex_match(record.find("time")->as_string(),
                                 std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)")));
    EXPECT_THAT(record.find("message")->as_string(), HasSubstr("chat request_id="));
    EXPECT_THAT(record.find("message")->as_string(), HasSubstr("status=200"));
    EXPECT_THAT(stack.proxy->output(), ::testing::Not(HasSubstr("json log secret")));
}
