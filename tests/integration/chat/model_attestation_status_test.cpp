// Each model's latest attestation outcome under the serving configuration: recorded by every
// round (chat, GET /v1/attestation/{model}, the probe), shown in the verification document, in
// GET /v1/models (left out with models.list_only_attested, else marked) until the model attests
// again; AttestationService::probe is single flight and leaves a freshly attested model alone;
// ModelProbe attests the listed models on its own, follows reloads (the old generation's rounds
// stop, the new one is probed at once) and stops promptly.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <thread>

#include "config/loader.hpp"
#include "plugin/host_services.hpp"
#include "proxy_harness.hpp"
#include "runtime/generation.hpp"
#include "runtime/model_probe.hpp"

using namespace vep::test;
using namespace std::chrono_literals;

namespace {

// The ids GET /v1/models lists.
std::vector<std::string> listed(const ProxyHarness &h) {
    const HttpResult r = h.get("/v1/models");
    EXPECT_EQ(r.status, 200) << r.body;
    std::vector<std::string> ids;
    const vep::json::Value list = r.json();
    for (const auto &entry : list.find("data")->as_array()) ids.push_back(entry.find("id")->as_string());
    return ids;
}

bool lists(const ProxyHarness &h, const std::string &model) {
    const auto ids = listed(h);
    return std::find(ids.begin(), ids.end(), model) != ids.end();
}

// venice-sim fails the attestation of `model` only (not_verified), or of no model.
void fail_attestation_of(ProxyHarness &h, const std::string &model) {
    h.sim().configure(R"({"attestation_fault":"not_verified","attestation_fault_model":")" + model + "\"}");
}
void heal_attestation(ProxyHarness &h) { h.sim().configure(R"({"attestation_fault":"none","attestation_fault_model":""})"); }

// A new round for `model` through GET /v1/attestation/{model}?refresh=1; its document.
vep::json::Value refresh(const ProxyHarness &h, const std::string &model) {
    const HttpResult r = h.get("/v1/attestation/" + model + "?refresh=1");
    EXPECT_EQ(r.status, 200) << r.body;
    return r.json();
}

TEST(ModelAttestationStatus, EveryRoundRecordsTheModelsOutcome) {
    ProxyHarness h;
    const auto &attestation = h.generation().attestation();
    EXPECT_FALSE(attestation.status(kHermesModel)) << "never attested under this configuration";
    ASSERT_EQ(h.post_chat(chat_body(kHermesModel, "hello", false)).status, 200);
    auto status = attestation.status(kHermesModel);
    ASSERT_TRUE(status);
    EXPECT_TRUE(status->verified);
    EXPECT_EQ(status->code, "");
    EXPECT_GT(status->time, 0);
    EXPECT_EQ(status->last_verified, status->time);
    EXPECT_TRUE(attestation.failing_models().empty());

    fail_attestation_of(h, kHermesModel);
    const vep::json::Value doc = refresh(h, kHermesModel);
    EXPECT_EQ(doc.find("outcome")->as_string(), "rejected");
    EXPECT_EQ(doc.find("code")->as_string(), "attestation_upstream_not_verified");
    int64_t last_verified = 0;
    ASSERT_NE(doc.find("last_verified"), nullptr) << vep::json::dump(doc);
    EXPECT_TRUE(doc.find("last_verified")->get_i64(last_verified));
    EXPECT_EQ(last_verified, status->time);
    status = attestation.status(kHermesModel);
    ASSERT_TRUE(status);
    EXPECT_FALSE(status->verified);
    EXPECT_EQ(status->code, "attestation_upstream_not_verified");
    EXPECT_EQ(status->last_verified, last_verified);
    EXPECT_EQ(attestation.failing_models(), std::vector<std::string>{kHermesModel});
    EXPECT_TRUE(attestation.status(kQwenModel) == std::nullopt) << "another model's record is untouched";

    heal_attestation(h);
    EXPECT_EQ(refresh(h, kHermesModel).find("outcome")->as_string(), "verified");
    EXPECT_TRUE(attestation.status(kHermesModel)->verified);
    EXPECT_TRUE(attestation.failing_models().empty());
}

TEST(ModelAttestationStatus, ListOnlyAttestedLeavesAFailedModelOutUntilItAttestsAgain) {
    ProxyHarness h("", [](vep::host::Config &c) { c.model_list.list_only_attested = true; });
    EXPECT_TRUE(lists(h, kHermesModel)) << "a model not attested yet is listed";
    EXPECT_TRUE(lists(h, kQwenModel));
    fail_attestation_of(h, kHermesModel);
    EXPECT_EQ(h.post_chat(chat_body(kHermesModel, "hello", false)).status, 502);
    EXPECT_FALSE(lists(h, kHermesModel));
    EXPECT_TRUE(lists(h, kQwenModel)) << "only the failed model is left out";
    EXPECT_EQ(h.get("/v1/models").body.find("\"attestation\""), std::string::npos);

    heal_attestation(h);
    EXPECT_EQ(h.post_chat(chat_body(kHermesModel, "hello", false)).status, 200);
    EXPECT_TRUE(lists(h, kHermesModel)) << "listed again once it attested";
}

TEST(ModelAttestationStatus, AnAliasFollowsItsModel) {
    ProxyHarness h(std::string("[aliases]\nmy-model = \"") + kHermesModel + "\"\n",
                   [](vep::host::Config &c) { c.model_list.list_only_attested = true; });
    EXPECT_TRUE(lists(h, "my-model"));
    fail_attestation_of(h, kHermesModel);
    refresh(h, kHermesModel);
    EXPECT_FALSE(lists(h, "my-model"));
    EXPECT_FALSE(lists(h, kHermesModel));
}

TEST(ModelAttestationStatus, WithoutListOnlyAttestedAFailedModelIsMarked) {
    ProxyHarness h;
    fail_attestation_of(h, kHermesModel);
    refresh(h, kHermesModel);
    const HttpResult r = h.get("/v1/models");
    ASSERT_EQ(r.status, 200);
    const vep::json::Value list = r.json();
    bool seen = false;
    for (const auto &entry : list.find("data")->as_array()) {
        const vep::json::Value *mark = entry.find("attestation");
        if (entry.find("id")->as_string() != kHermesModel) {
            EXPECT_EQ(mark, nullptr) << vep::json::dump(entry);
            continue;
        }
        seen = true;
        ASSERT_NE(mark, nullptr);
        EXPECT_EQ(mark->find("status")->as_string(), "failed");
        EXPECT_EQ(mark->find("code")->as_string(), "attestation_upstream_not_verified");
    }
    EXPECT_TRUE(seen);
}

TEST(ModelAttestationStatus, ProbeLeavesAFreshModelAloneAndRecordsItsVerdict) {
    ProxyHarness h;
    const auto &attestation = h.generation().attestation();
    using vep::host::ModelMode;
    using vep::host::ProbeOutcome;
    EXPECT_EQ(attestation.probe(kQwenModel, ModelMode::E2ee, 1h), ProbeOutcome::Verified) << "never attested";
    const size_t fetched = h.sim_requests("tee/attestation");
    EXPECT_EQ(attestation.probe(kQwenModel, ModelMode::E2ee, 1h), ProbeOutcome::Skipped);
    EXPECT_EQ(h.sim_requests("tee/attestation"), fetched) << "a skipped probe fetches nothing";
    fail_attestation_of(h, kQwenModel);
    EXPECT_EQ(attestation.probe(kQwenModel, ModelMode::E2ee, 0s), ProbeOutcome::Rejected);
    EXPECT_EQ(attestation.failing_models(), std::vector<std::string>{kQwenModel});
    EXPECT_EQ(attestation.latest_document(kQwenModel)->find("reason")->as_string(), "probe");
    heal_attestation(h);
    EXPECT_EQ(attestation.probe(kQwenModel, ModelMode::E2ee, 0s), ProbeOutcome::Verified);
    EXPECT_TRUE(attestation.failing_models().empty());
}

TEST(ModelAttestationStatus, ProbesOfAModelNeverOverlap) {
    // Eight threads probe one model at once, again and again: a probe finding a round of the
    // model in flight skips it and fetches nothing, so some are skipped and every fetch is one
    // probe that ran.
    ProxyHarness h;
    const auto &attestation = h.generation().attestation();
    std::atomic<int> ran{0}, skipped{0}, ready{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 8; ++t)
        threads.emplace_back([&] {
            ready.fetch_add(1);
            while (ready.load() < 8) std::this_thread::yield();
            for (int i = 0; i < 5; ++i) {
                const auto outcome = attestation.probe(kGlmModel, vep::host::ModelMode::E2ee, 0s);
                (outcome == vep::host::ProbeOutcome::Skipped ? skipped : ran)++;
            }
        });
    for (auto &t : threads) t.join();
    EXPECT_GT(skipped.load(), 0);
    EXPECT_GT(ran.load(), 0);
    EXPECT_EQ(h.sim_requests("tee/attestation"), static_cast<size_t>(ran.load()));
}

TEST(ModelProbe, AttestsTheListedModelsAndStopsPromptly) {
    ProxyHarness h("", [](vep::host::Config &c) { c.attestation.probe_interval = 200ms; });
    const auto &attestation = h.generation().attestation();
    vep::host::ModelProbe probe(h.generations());
    fail_attestation_of(h, kGlmModel);
    probe.start();
    EXPECT_TRUE(wait_until(10s, [&] {
        return attestation.status(kHermesModel) && attestation.status(kQwenModel) && attestation.status(kGlmModel);
    })) << "every listed model probed without a client request";
    EXPECT_EQ(h.sim_requests("chat/completions"), 0u);
    EXPECT_TRUE(wait_until(5s, [&] { return attestation.failing_models() == std::vector<std::string>{kGlmModel}; }));
    heal_attestation(h);
    EXPECT_TRUE(wait_until(5s, [&] { return attestation.failing_models().empty(); }))
        << "the next rounds see the model attest again";

    const auto stop_started = std::chrono::steady_clock::now();
    probe.stop();
    EXPECT_LT(std::chrono::steady_clock::now() - stop_started, 2s);
    const size_t fetched = h.sim_requests("tee/attestation");
    std::this_thread::sleep_for(500ms);
    EXPECT_EQ(h.sim_requests("tee/attestation"), fetched) << "no round after stop()";
}

TEST(ModelProbe, AReloadStopsTheOldGenerationsRoundsAndProbesTheNewOneAtOnce) {
    ProxyHarness h;
    static const vep::host::PluginLoader loader(vep::host::host_services());
    const auto gate = std::make_shared<vep::host::ConcurrencyGate>();
    const auto build = [&](vep::host::Duration interval) {
        vep::host::Config c = vep::host::load_config_text(ProxyHarness::base_toml(h.sim().base_url()), "t.toml", {});
        c.attestation.probe_interval = interval;
        return vep::host::Generation::build(std::move(c), loader, gate, vep::host::GenerationPurpose::Serve);
    };
    vep::host::GenerationHolder holder;
    holder.swap_in(build(100ms));
    const auto first = holder.current();
    vep::host::ModelProbe probe(holder);
    probe.start();
    ASSERT_TRUE(wait_until(5s, [&] { return first->attestation().status(kQwenModel).has_value(); }));

    holder.swap_in(build(0ms));  // a reload that turns the probe off
    probe.generation_changed();
    std::this_thread::sleep_for(200ms);  // a round of the old generation in flight ends
    const size_t fetched = h.sim_requests("tee/attestation");
    std::this_thread::sleep_for(400ms);
    EXPECT_EQ(h.sim_requests("tee/attestation"), fetched) << "no round after the reload turned the probe off";
    EXPECT_FALSE(holder.current()->attestation().status(kQwenModel)) << "a new generation starts its record afresh";

    holder.swap_in(build(1h));  // the next reload's generation is probed at once, not after an hour
    probe.generation_changed();
    const auto third = holder.current();
    EXPECT_TRUE(wait_until(5s, [&] { return third->attestation().status(kQwenModel).has_value(); }));
    probe.stop();
}

TEST(ModelProbe, WithoutAnIntervalItOnlyWaits) {
    ProxyHarness h;
    vep::host::ModelProbe probe(h.generations());
    probe.start();
    std::this_thread::sleep_for(300ms);
    EXPECT_EQ(h.sim_requests("tee/attestation"), 0u);
    EXPECT_TRUE(h.generation().attestation().failing_models().empty());
    const auto stop_started = std::chrono::steady_clock::now();
    probe.stop();
    EXPECT_LT(std::chrono::steady_clock::now() - stop_started, 1s);
}

}  // namespace
