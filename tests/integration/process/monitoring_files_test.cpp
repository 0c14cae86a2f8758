// The operator's monitoring files (docs/monitoring/): the Prometheus scrape configuration and the
// alerting rules pass `promtool check config` / `check rules`, the Grafana dashboard is JSON, and
// every `vep_` metric the rules and the dashboard query is one the running proxy's /metrics
// actually exposes (so a renamed metric cannot leave a silent alert or an empty panel behind).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <regex>
#include <set>

#include "proxy_stack.hpp"
#include "vep/json.hpp"

using namespace vep::test;

namespace {

const std::string kMonitoring = std::string(VEP_SOURCE_DIR) + "/docs/monitoring/";

std::string file_text(const std::string &path) {
    std::ifstream in(path);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

bool have_promtool() { return std::system("command -v promtool >/dev/null 2>&1") == 0; }

// `promtool <args>`: its exit status.
int promtool(const std::string &args) {
    return WEXITSTATUS(std::system(("promtool " + args + " >/dev/null 2>&1").c_str()));
}

// Every vep_ metric name in `text`, histogram series suffixes removed.
std::set<std::string> metric_names(const std::string &text) {
    std::set<std::string> names;
    const std::regex name("vep_[a-z_]+");
    for (auto it = std::sregex_iterator(text.begin(), text.end(), name); it != std::sregex_iterator(); ++it) {
        std::string n = it->str();
        for (const std::string suffix : {"_bucket", "_count", "_sum"})
            if (n.size() > suffix.size() && n.ends_with(suffix)) n.resize(n.size() - suffix.size());
        names.insert(n);
    }
    return names;
}

}  // namespace

TEST(MonitoringFiles, PromtoolAcceptsTheScrapeConfigAndTheAlertingRules) {
    if (!have_promtool()) GTEST_SKIP() << "promtool is not installed (Debian package prometheus): rules not checked";
    EXPECT_EQ(promtool("check rules " + kMonitoring + "alerts.yml"), 0);
    EXPECT_EQ(promtool("check config " + kMonitoring + "prometheus.yml"), 0);
}

TEST(MonitoringFiles, RulesAndDashboardQueryOnlyMetricsTheProxyExposes) {
    const std::string dashboard = file_text(kMonitoring + "grafana-dashboard.json");
    const vep::json::Value parsed = vep::json::parse(dashboard);
    const vep::json::Value *panels = parsed.find("panels");
    ASSERT_NE(panels, nullptr);
    EXPECT_GE(panels->as_array().size(), 10u);

    Stack stack(kDemoConfig, {},
                {{"VENICE_E2EE_PROXY__ADMIN__ENABLED", "true"}, {"VENICE_E2EE_PROXY__ADMIN__PORT", "0"}});
    std::set<std::string> exposed;
    std::istringstream lines(http(stack.admin_port, "GET", "/metrics").body);
    for (std::string line; std::getline(lines, line);)
        if (line.rfind("# TYPE ", 0) == 0) exposed.insert(line.substr(7, line.find(' ', 7) - 7));
    ASSERT_FALSE(exposed.empty());

    const auto used_in_rules = metric_names(file_text(kMonitoring + "alerts.yml"));
    const auto used_in_dashboard = metric_names(dashboard);
    EXPECT_GE(used_in_rules.size(), 4u);
    for (const auto &name : used_in_rules) EXPECT_TRUE(exposed.count(name)) << name << " (alerts.yml)";
    for (const auto &name : used_in_dashboard) EXPECT_TRUE(exposed.count(name)) << name << " (grafana-dashboard.json)";
}
