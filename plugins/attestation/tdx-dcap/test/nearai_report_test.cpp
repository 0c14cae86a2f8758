// The NEAR AI cloud report: two real v4 quotes whose REPORTDATA binds signing address and nonce,
// with event logs and app_compose for the measurement checks.
#include <gtest/gtest.h>

#include "test_support.hpp"

using namespace tdx_test;
using vep::json::Value;

namespace {

Value model_evidence() { return nearai_model_evidence(); }
Value gateway_evidence() { return *nearai_report().find("gateway_attestation"); }

Value config(Value extra = Value::object()) {
    extra.set("verification_time", kNearAiCaptureTime);
    return extra;
}

Value prior_address(const std::string &address) {
    Value prior = Value::object();
    prior.set("signing_address", address);
    return prior;
}

TEST(NearAiReport, ModelQuoteVerifiesAndBindsItsKeyAndTheNonce) {
    const auto out = Plugin(config()).verify(vep::json::dump(model_evidence()), kNonce);
    ASSERT_TRUE(out.ok) << out.code << ": " << out.message;
    EXPECT_EQ(tdx_field(out.report, "present"), Value(true));
    EXPECT_EQ(tdx_field(out.report, "verified"), Value(true));
    EXPECT_EQ(tdx_field(out.report, "debug"), Value(false));
    EXPECT_EQ(tdx_field(out.report, "version"), Value(4));
    EXPECT_EQ(tdx_field(out.report, "report_data_binding"), Value("raw"));
    for (const char *name : {"report_data_binding", "compose_hash", "event_log_replay"})
        EXPECT_EQ(check_ok(out.report, name), std::optional<bool>(true)) << name;
}

TEST(NearAiReport, GatewayQuoteBindsTheEnvelopeSigningAddress) {
    const auto out = Plugin(config()).verify(vep::json::dump(gateway_evidence()), kNonce,
                                             prior_address("0x614bc66ff0407dbb70b9c7ca1f5e983e4a02c921"));
    ASSERT_TRUE(out.ok) << out.code << ": " << out.message;
    EXPECT_EQ(tdx_field(out.report, "verified"), Value(true));
    EXPECT_EQ(check_ok(out.report, "event_log_replay"), std::optional<bool>(true));  // event_log is a JSON string here
}

TEST(NearAiReport, GatewayWithoutKeyOrEnvelopeAddressCannotBind) {
    const auto out = Plugin(config()).verify(vep::json::dump(gateway_evidence()), kNonce);
    EXPECT_EQ(out.code, "attestation_missing_required_field");
}

TEST(NearAiReport, WrongNonceIsRejected) {
    const std::string other = "deadbeef00000000000000000000000000000000000000000000000000000002";
    const auto out = Plugin(config()).verify(vep::json::dump(model_evidence()), other);
    EXPECT_EQ(out.code, "attestation_invalid_tdx_evidence");
    EXPECT_NE(out.message.find("nonce"), std::string::npos) << out.message;
}

TEST(NearAiReport, WrongEnvelopeAddressIsRejected) {
    const auto out = Plugin(config()).verify(vep::json::dump(gateway_evidence()), kNonce,
                                             prior_address("0x56d070df1c6be444b007839ef9cf67cec7c12b8b"));
    EXPECT_EQ(out.code, "attestation_invalid_tdx_evidence");
    EXPECT_EQ(check_ok(out.report, "report_data_binding"), std::optional<bool>(false));
}

TEST(NearAiReport, ServedAddressThatIsNotTheKeysIsRejected) {
    Value ev = model_evidence();
    ev.set("signing_address", "0x614bc66ff0407dbb70b9c7ca1f5e983e4a02c921");
    const auto out = Plugin(config()).verify(vep::json::dump(ev), kNonce);
    EXPECT_EQ(out.code, "attestation_signing_address_mismatch");
}

TEST(NearAiReport, TamperedAppComposeFailsTheComposeBinding) {
    Value ev = model_evidence();
    Value *tcb_info = ev.find("info")->find("tcb_info");
    tcb_info->set("app_compose", tcb_info->find("app_compose")->as_string() + " ");
    const auto out = Plugin(config()).verify(vep::json::dump(ev), kNonce);
    EXPECT_EQ(out.code, "attestation_tdx_measurement_rejected");
    EXPECT_EQ(check_ok(out.report, "compose_hash"), std::optional<bool>(false));
    Value never = Value::object();
    never.set("compose_hash_check", "never");
    EXPECT_TRUE(Plugin(config(never)).verify(vep::json::dump(ev), kNonce).ok);
}

TEST(NearAiReport, TamperedRuntimeEventFailsTheReplay) {
    Value ev = model_evidence();
    for (auto &entry : ev.find("event_log")->as_array()) {
        if (entry.find("event")->as_string() == "compose-hash") {
            std::string payload = entry.find("event_payload")->as_string();
            payload[0] = payload[0] == '0' ? '1' : '0';
            entry.set("event_payload", payload);
        }
    }
    const auto out = Plugin(config()).verify(vep::json::dump(ev), kNonce);
    EXPECT_EQ(out.code, "attestation_tdx_measurement_rejected");
    EXPECT_NE(out.message.find("compose-hash"), std::string::npos) << out.message;
}

TEST(NearAiReport, DroppedEventFailsTheReplay) {
    Value ev = model_evidence();
    auto &log = ev.find("event_log")->as_array();
    log.erase(log.end() - 1);
    const auto out = Plugin(config()).verify(vep::json::dump(ev), kNonce);
    EXPECT_EQ(out.code, "attestation_tdx_measurement_rejected");
}

TEST(NearAiReport, MrtdAndRtmrAllowlists) {
    const Value model = model_evidence();
    const Value &tcb = *model.find("info")->find("tcb_info");
    Value allow = Value::object();
    Value mrtd = Value::array();
    mrtd.push_back(*tcb.find("mrtd"));
    allow.set("mrtd_allowlist", mrtd);
    Value rtmr0 = Value::array();
    rtmr0.push_back(*tcb.find("rtmr0"));
    allow.set("rtmr0_allowlist", rtmr0);
    const auto ok = Plugin(config(allow)).verify(vep::json::dump(model_evidence()), kNonce);
    ASSERT_TRUE(ok.ok) << ok.message;
    EXPECT_EQ(check_ok(ok.report, "mrtd_allowlist"), std::optional<bool>(true));

    Value deny = Value::object();
    Value other = Value::array();
    const Value gateway = gateway_evidence();
    other.push_back(*gateway.find("info")->find("tcb_info")->find("rtmr1"));
    deny.set("rtmr1_allowlist", other);
    const auto out = Plugin(config(deny)).verify(vep::json::dump(model_evidence()), kNonce);
    EXPECT_EQ(out.code, "attestation_tdx_measurement_rejected");
    EXPECT_EQ(check_ok(out.report, "rtmr1_allowlist"), std::optional<bool>(false));
}

}  // namespace
