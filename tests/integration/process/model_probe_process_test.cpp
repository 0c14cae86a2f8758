// models.list_only_attested with the background probe, as operators run it (the venice-e2ee-proxy
// and venice-sim binaries): a model whose attestation starts failing leaves GET /v1/models — with
// no client request for it, the probe at attestation.probe_interval finds out — and /metrics and
// its verification document mark it; once it attests again the probe brings it back; SIGTERM
// stops the probe with the process.
#include <gtest/gtest.h>

#include <csignal>
#include <functional>
#include <thread>

#include "proxy_stack.hpp"
#include "vep/json.hpp"

using namespace vep::test;
using namespace std::chrono_literals;

namespace {

constexpr const char *kFailing = "e2ee-glm-4-7-flash-p";
constexpr const char *kHealthy = "e2ee-qwen3-235b-a22b-p";

const std::map<std::string, std::string> kProbeOn{{"VENICE_E2EE_PROXY__ADMIN__ENABLED", "true"},
                                                  {"VENICE_E2EE_PROXY__ADMIN__PORT", "0"},
                                                  {"VENICE_E2EE_PROXY__MODELS__LIST_ONLY_ATTESTED", "true"},
                                                  {"VENICE_E2EE_PROXY__ATTESTATION__PROBE_INTERVAL", "200ms"}};

bool listed(const Stack &stack, const std::string &model) {
    const Result r = http(stack.port, "GET", "/v1/models");
    if (r.status != 200) throw std::runtime_error("GET /v1/models answered " + std::to_string(r.status) + ": " + r.body);
    const auto list = vep::json::parse(r.body);
    for (const auto &entry : list.find("data")->as_array())
        if (entry.find("id")->as_string() == model) return true;
    return false;
}

std::string metrics(const Stack &stack) { return http(stack.admin_port, "GET", "/metrics").body; }

void sim_config(const Stack &stack, const std::string &settings) {
    const Result r = http(stack.sim_port, "POST", "/_sim/config", settings);
    if (r.status != 200) throw std::runtime_error("venice-sim refused " + settings + ": " + r.body);
}

// Polls `condition` every 50 ms for at most `limit`; whether it held.
bool wait_for(std::chrono::milliseconds limit, const std::function<bool()> &condition) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (!condition()) {
        if (std::chrono::steady_clock::now() >= deadline) return false;
        std::this_thread::sleep_for(50ms);
    }
    return true;
}

}  // namespace

TEST(ModelProbeProcess, AFailingModelLeavesTheListUntilTheProbeSeesItAttestAgain) {
    Stack stack(kDemoConfig, {}, kProbeOn);
    ASSERT_TRUE(listed(stack, kFailing));
    EXPECT_NE(metrics(stack).find("vep_attestation_models_failing 0"), std::string::npos);

    sim_config(stack, std::string(R"({"attestation_fault":"not_verified","attestation_fault_model":")") + kFailing + "\"}");
    EXPECT_TRUE(wait_for(10s, [&] { return !listed(stack, kFailing); })) << "the probe found the failure";
    EXPECT_TRUE(listed(stack, kHealthy));
    const std::string marked = metrics(stack);
    EXPECT_NE(marked.find("vep_attestation_models_failing 1"), std::string::npos) << marked;
    EXPECT_NE(marked.find(std::string("vep_attestation_model_failing{model=\"") + kFailing + "\"} 1"), std::string::npos)
        << marked;
    const Result doc = http(stack.port, "GET", std::string("/v1/attestation/") + kFailing);
    ASSERT_EQ(doc.status, 200) << doc.body;
    const auto document = vep::json::parse(doc.body);
    EXPECT_EQ(document.find("outcome")->as_string(), "rejected");
    EXPECT_EQ(document.find("code")->as_string(), "attestation_upstream_not_verified");
    EXPECT_EQ(document.find("reason")->as_string(), "probe");

    sim_config(stack, R"({"attestation_fault":"none","attestation_fault_model":""})");
    EXPECT_TRUE(wait_for(10s, [&] { return listed(stack, kFailing); })) << "the probe saw it attest again";
    EXPECT_NE(metrics(stack).find("vep_attestation_models_failing 0"), std::string::npos);

    const auto stop_started = std::chrono::steady_clock::now();
    stack.proxy->signal(SIGTERM);
    const auto status = stack.proxy->wait_exit(10s);
    ASSERT_TRUE(status) << "the proxy (and its probe) did not stop";
    EXPECT_EQ(*status, 0);
    EXPECT_LT(std::chrono::steady_clock::now() - stop_started, 5s);
}
