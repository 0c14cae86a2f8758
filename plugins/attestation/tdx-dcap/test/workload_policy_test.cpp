// The per-model workload policy on the real NEAR AI report: pins of compose hash, app id, instance
// id, OS image hash and RTMR3 that hold, each pin flipped, tampered events, dev OS images, globs.
#include <gtest/gtest.h>

#include "openssl_util.hpp"
#include "test_support.hpp"
#include "vep/hex.hpp"

using namespace tdx_test;
using vep::json::Value;

namespace {

const std::string kModel = "openai/gpt-oss-120b";
// Values the fixture's model TD runs (README of tests/data/attestation; tcb_info and RTMR3 events).
const std::string kComposeHash = "242a62724303cc32f364da0fc92738706b0078e7587821b7ba3e75488223797b";
const std::string kAppId = "2c0a0c96cb6dbd659bf1446e2f3fce58172ff91b";
const std::string kInstanceId = "ab611bbb0d525b3ea0e18f4cb9bfa51ff1f3dfc9";
const std::string kOsImageHash = "9b69bb1698bacbb6985409a2c272bcb892e09cdcea63d5399c6768b67d3ff677";
const std::string kRtmr3 =
    "ea50850bce93727b82448b86f0bea8559b95c1cba28bd0d29fb7d399ef1cb3fd62be2e55f708f809ca57257ad6043484";

Value list(std::initializer_list<std::string> items) {
    Value out = Value::array();
    for (const auto &item : items) out.push_back(item);
    return out;
}

// A workload entry for `models` pinning every value the fixture runs.
Value full_pins(std::initializer_list<std::string> models = {"openai/*"}) {
    Value entry = Value::object();
    entry.set("models", list(models));
    entry.set("compose_hash", list({kComposeHash}));
    entry.set("app_id", list({kAppId}));
    entry.set("instance_id", list({"0x" + kInstanceId}));
    entry.set("os_image_hash", list({kOsImageHash}));
    entry.set("rtmr3", list({kRtmr3}));
    return entry;
}

Value config_with(std::vector<Value> entries, Value extra = Value::object()) {
    extra.set("verification_time", kNearAiCaptureTime);
    Value workload = Value::array();
    for (auto &e : entries) workload.push_back(std::move(e));
    extra.set("workload", std::move(workload));
    return extra;
}

vep::client::AttestationOutcome verify(const Value &config, const Value &evidence, const std::string &model = kModel) {
    return Plugin(config).verify(vep::json::dump(evidence), kNonce, Value::object(), model);
}

// A 0-9a-f digit flipped at `index` of a hex string.
std::string flip(std::string hex, size_t index = 0) {
    hex[index] = hex[index] == '0' ? '1' : '0';
    return hex;
}

Value *event_named(Value &evidence, const std::string &name) {
    for (auto &entry : evidence.find("event_log")->as_array())
        if (entry.find("event")->as_string() == name) return &entry;
    return nullptr;
}

// The fixture's vm_config object with `key` set to `value`, served back as a JSON string.
Value with_vm_config(const std::string &key, const std::string &value) {
    Value ev = nearai_model_evidence();
    Value vm = vep::json::parse(ev.find("info")->find("vm_config")->as_string());
    vm.set(key, value);
    ev.find("info")->set("vm_config", vep::json::dump(vm));
    return ev;
}

TEST(WorkloadPolicy, EveryPinOfTheRealReportHolds) {
    const auto out = verify(config_with({full_pins()}), nearai_model_evidence());
    ASSERT_TRUE(out.ok) << out.code << ": " << out.message;
    for (const char *name : {"event_log_replay", "workload_events", "workload_compose_hash", "workload_app_id",
                             "workload_instance_id", "workload_os_image_hash", "workload_rtmr3", "dev_os_image"})
        EXPECT_EQ(check_ok(out.report, name), std::optional<bool>(true)) << name;
    const Value workload = tdx_field(out.report, "workload");
    EXPECT_EQ(*workload.find("compose_hash"), Value(kComposeHash));
    EXPECT_EQ(*workload.find("app_id"), Value(kAppId));
    EXPECT_EQ(*workload.find("instance_id"), Value(kInstanceId));
    EXPECT_EQ(*workload.find("os_image_hash"), Value(kOsImageHash));
    EXPECT_EQ(*workload.find("rtmr3"), Value(kRtmr3));
    EXPECT_EQ(*workload.find("policy"), Value("openai/*"));
}

TEST(WorkloadPolicy, WithoutPinsTheReportStillShowsTheWorkloadValues) {
    Value config = Value::object();
    config.set("verification_time", kNearAiCaptureTime);
    const auto out = verify(config, nearai_model_evidence());
    ASSERT_TRUE(out.ok) << out.message;
    const Value workload = tdx_field(out.report, "workload");
    EXPECT_EQ(*workload.find("compose_hash"), Value(kComposeHash));
    EXPECT_TRUE(workload.find("policy")->is_null());
    EXPECT_EQ(check_ok(out.report, "workload_compose_hash"), std::nullopt);
}

TEST(WorkloadPolicy, EachChangedPinFailsItsOwnCheck) {
    struct Case {
        const char *key;
        std::string pinned, other;
    };
    const Case cases[] = {{"compose_hash", kComposeHash, flip(kComposeHash)},
                          {"app_id", kAppId, flip(kAppId)},
                          {"instance_id", kInstanceId, flip(kInstanceId)},
                          {"os_image_hash", kOsImageHash, flip(kOsImageHash, 63)},
                          {"rtmr3", kRtmr3, flip(kRtmr3, 10)}};
    for (const Case &c : cases) {
        Value entry = full_pins();
        entry.set(c.key, list({c.other}));
        const auto out = verify(config_with({entry}), nearai_model_evidence());
        EXPECT_EQ(out.code, "attestation_tdx_measurement_rejected") << c.key;
        EXPECT_EQ(check_ok(out.report, std::string("workload_") + c.key), std::optional<bool>(false)) << c.key;
        EXPECT_NE(out.message.find("not pinned for model " + kModel), std::string::npos) << out.message;

        entry.set(c.key, list({c.other, c.pinned}));
        EXPECT_TRUE(verify(config_with({entry}), nearai_model_evidence()).ok) << c.key << " as a second allowed value";
    }
}

TEST(WorkloadPolicy, TamperedEventPayloadBreaksTheReplay) {
    Value ev = nearai_model_evidence();
    Value *app_id = event_named(ev, "app-id");
    app_id->set("event_payload", flip(kAppId));
    const auto out = verify(config_with({full_pins()}), ev);
    EXPECT_EQ(out.code, "attestation_tdx_measurement_rejected");
    EXPECT_EQ(check_ok(out.report, "event_log_replay"), std::optional<bool>(false));
    EXPECT_NE(out.message.find("app-id"), std::string::npos) << out.message;
}

TEST(WorkloadPolicy, ConsistentlyRewrittenEventNoLongerReplaysToTheQuotedRtmr3) {
    // A forged compose-hash event whose digest is recomputed passes the digest check, but the
    // replay then differs from the RTMR3 the quote signs.
    Value ev = nearai_model_evidence();
    const std::string forged = flip(kComposeHash);
    Value *event = event_named(ev, "compose-hash");
    event->set("event_payload", forged);
    std::string preimage = std::string("\x01\x00\x00\x08", 4) + ":compose-hash:";
    const auto bytes = vep::hex::decode(forged).value();
    preimage.append(bytes.begin(), bytes.end());
    const auto digest = vep::tdx_dcap::sha384(
        std::span<const uint8_t>(reinterpret_cast<const uint8_t *>(preimage.data()), preimage.size()));
    event->set("digest", vep::hex::encode(digest.data(), digest.size()));
    Value entry = full_pins();
    entry.set("compose_hash", list({forged}));
    const auto out = verify(config_with({entry}), ev);
    EXPECT_EQ(out.code, "attestation_tdx_measurement_rejected");
    EXPECT_EQ(check_ok(out.report, "event_log_replay"), std::optional<bool>(false));
    EXPECT_NE(out.message.find("RTMR3"), std::string::npos) << out.message;
}

TEST(WorkloadPolicy, PinsWithoutAnEventLogFailClosed) {
    Value ev = nearai_model_evidence();
    ev.set("event_log", Value());
    ev.find("info")->find("tcb_info")->set("event_log", Value());
    const auto out = verify(config_with({full_pins()}), ev);
    EXPECT_EQ(out.code, "attestation_tdx_measurement_rejected");
    EXPECT_EQ(check_ok(out.report, "workload_events"), std::optional<bool>(false));
}

TEST(WorkloadPolicy, ServedOsImageHashMustEqualTheMeasuredEvent) {
    const auto out = verify(config_with({full_pins()}), with_vm_config("os_image_hash", flip(kOsImageHash)));
    EXPECT_EQ(out.code, "attestation_tdx_measurement_rejected");
    EXPECT_EQ(check_ok(out.report, "workload_events"), std::optional<bool>(false));
}

TEST(WorkloadPolicy, PolicyIsChosenPerModelByGlobFirstMatchWins) {
    Value wrong = full_pins({"other/*", "openai/gpt-oss-20b"});
    wrong.set("compose_hash", list({flip(kComposeHash)}));
    const auto skipped = verify(config_with({wrong, full_pins({"openai/gpt-oss-*"})}), nearai_model_evidence());
    ASSERT_TRUE(skipped.ok) << skipped.message;
    EXPECT_EQ(*tdx_field(skipped.report, "workload").find("policy"), Value("openai/gpt-oss-*"));

    Value first = full_pins({"openai/*"});
    first.set("app_id", list({flip(kAppId)}));
    const auto out = verify(config_with({first, full_pins({"*"})}), nearai_model_evidence());
    EXPECT_EQ(check_ok(out.report, "workload_app_id"), std::optional<bool>(false));

    // A model no entry matches is not pinned.
    const auto unpinned = verify(config_with({first}), nearai_model_evidence(), "qwen3-4b");
    ASSERT_TRUE(unpinned.ok) << unpinned.message;
    EXPECT_EQ(check_ok(unpinned.report, "workload_app_id"), std::nullopt);
}

TEST(WorkloadPolicy, DevelopmentOsImageIsRefusedUnlessAllowed) {
    const Value dev = with_vm_config("image", "dstack-nvidia-dev-0.5.5");
    const auto refused = verify(config_with({}), dev);
    EXPECT_EQ(refused.code, "attestation_tdx_measurement_rejected");
    EXPECT_EQ(check_ok(refused.report, "dev_os_image"), std::optional<bool>(false));
    EXPECT_NE(refused.message.find("dstack-nvidia-dev-0.5.5"), std::string::npos) << refused.message;

    Value allow_all = Value::object();
    allow_all.set("allow_dev_os_image", true);
    EXPECT_TRUE(verify(config_with({}, allow_all), dev).ok);

    Value entry = full_pins();
    entry.set("allow_dev_os_image", true);
    EXPECT_TRUE(verify(config_with({entry}), dev).ok);
    EXPECT_FALSE(verify(config_with({entry}), dev, "other-model").ok);

    const auto production = verify(config_with({}), nearai_model_evidence());
    ASSERT_TRUE(production.ok) << production.message;
    EXPECT_EQ(check_ok(production.report, "dev_os_image"), std::optional<bool>(true));
    EXPECT_TRUE(verify(config_with({}), with_vm_config("image", "dstack-0.5.5-devices")).ok);
}

TEST(WorkloadPolicy, ConfigIsValidated) {
    EXPECT_TRUE(loads(config_with({full_pins()})));
    Value single = Value::object();
    single.set("workload", full_pins());
    EXPECT_TRUE(loads(single));

    Value short_hash = full_pins();
    short_hash.set("compose_hash", list({kAppId}));
    EXPECT_FALSE(loads(config_with({short_hash})));
    Value unknown = full_pins();
    unknown.set("compose", list({kComposeHash}));
    EXPECT_FALSE(loads(config_with({unknown})));
    Value no_models = full_pins();
    no_models.set("models", Value::array());
    EXPECT_FALSE(loads(config_with({no_models})));
    Value never = Value::object();
    never.set("event_log_replay", "never");
    EXPECT_FALSE(loads(config_with({full_pins()}, never)));
    Value not_bool = Value::object();
    not_bool.set("allow_dev_os_image", "yes");
    EXPECT_FALSE(loads(not_bool));
}

}  // namespace
