// The reference proxy's attestation.rs tests, ported to the envelope
// plugin and run through the ABI. Where this plugin differs on purpose (require_tdx and NVIDIA
// verification are decided by the host after all verifiers ran), the test says so.
#include <gtest/gtest.h>

#include "envelope_fixture.hpp"

using namespace envelope_test;
using vep::json::Value;

namespace {

const Value *tdx_of(const vep::client::AttestationOutcome &o) { return o.report.find("tdx"); }
std::string nvidia_status(const vep::client::AttestationOutcome &o) {
    return o.report.find("nvidia")->find("status")->as_string();
}

}  // namespace

// generated_nonce_is_32_bytes_lower_hex: the host generates the nonce; the plugin refuses any
// nonce that is not 64 lowercase hex characters (the reference's re-check).
TEST(EnvelopeReference, RequestNonceMustBe64LowercaseHex) {
    Harness h;
    EXPECT_TRUE(h.run(aci_body()).ok);
    std::string upper = kNonce;
    upper[0] = 'A';
    for (const std::string &bad : {kNonce.substr(1), upper, std::string(64, 'g'), std::string()}) {
        Value body = aci_body();
        body.set("nonce", bad);
        const auto o = h.run(body, bad);
        EXPECT_FALSE(o.ok);
        EXPECT_EQ(o.code, "invalid_attestation_request") << bad;
    }
}

TEST(EnvelopeReference, ValidBasicEvidencePassesWithoutOptionalHardwareRequirements) {
    const auto o = Harness().run(aci_body());
    ASSERT_TRUE(o.ok) << o.code << ": " << o.message;
    EXPECT_EQ(o.report.find("model_public_key")->as_string(), kPublicKey);
    EXPECT_EQ(o.report.find("signing_address")->as_string(), kAddress);
    EXPECT_EQ(o.report.find("tee_provider")->as_string(), "phala");
    EXPECT_FALSE(o.report.find("debug")->as_bool());
    EXPECT_FALSE(tdx_of(o)->find("present")->as_bool());
    EXPECT_EQ(nvidia_status(o), "not-present");
}

TEST(EnvelopeReference, AciEnvelopeUsesRootVerificationFieldsAndNestedHardwareEvidence) {
    Value body = aci_body_with_quote();
    body.set("nvidia_payload", vep::json::parse(R"({"nonce":"x","evidence_list":[]})"));
    const auto o = Harness().run(body);
    ASSERT_TRUE(o.ok) << o.code << ": " << o.message;
    EXPECT_TRUE(tdx_of(o)->find("present")->as_bool());
    EXPECT_FALSE(tdx_of(o)->find("verified")->as_bool());
    EXPECT_FALSE(tdx_of(o)->find("debug")->as_bool());
    EXPECT_EQ(tdx_of(o)->find("version")->as_number().text, "4");
    EXPECT_EQ(tdx_of(o)->find("report_data_binding")->as_string(), "raw");
    EXPECT_EQ(tdx_of(o)->find("nonce_binding")->as_string(), "raw");
    EXPECT_EQ(nvidia_status(o), "ignored");
}

TEST(EnvelopeReference, MissingRequiredFieldsFailClosed) {
    Value body = aci_body();
    body.as_object().erase(body.as_object().begin() + 2);  // "verified"
    ASSERT_FALSE(body.find("verified"));
    const auto o = Harness().run(body);
    EXPECT_FALSE(o.ok);
    EXPECT_EQ(o.code, "attestation_missing_required_field");
    EXPECT_NE(o.message.find("verified"), std::string::npos);
}

TEST(EnvelopeReference, DebugEvidenceFailsWhenDebugIsNotAllowed) {
    Value body = aci_body();
    body.set("debug", true);
    const auto o = Harness().run(body);
    EXPECT_EQ(o.code, "attestation_debug_mode_detected");
    const auto allowed = Harness(R"({"allow_debug":true})").run(body);
    EXPECT_TRUE(allowed.ok) << allowed.message;
    EXPECT_TRUE(allowed.report.find("debug")->as_bool());
}

TEST(EnvelopeReference, TdxRequiredModeFailsOnMissingTdxEvidence) {
    const auto o = Harness(R"({"require_tdx":true})").run(aci_body());
    EXPECT_EQ(o.code, "attestation_missing_tdx_evidence");
}

TEST(EnvelopeReference, TdxRequiredModeFailsOnInvalidTdxEvidence) {
    Value body = aci_body_with_quote();
    body.find("attestation")->find("evidence")->set("quote", "not-hex");
    EXPECT_EQ(Harness(R"({"require_tdx":true})").run(body).code, "attestation_invalid_tdx_evidence");
}

TEST(EnvelopeReference, TdxDebugQuoteFailsWhenDebugIsNotAllowed) {
    const Value body = aci_body_with_quote(/*debug=*/true);
    EXPECT_EQ(Harness().run(body).code, "attestation_debug_mode_detected");
    const auto allowed = Harness(R"({"allow_debug":true})").run(body);
    ASSERT_TRUE(allowed.ok) << allowed.message;
    EXPECT_TRUE(tdx_of(allowed)->find("debug")->as_bool());
}

// Reference: a valid quote with require_tdx fails 503 attestation_verifier_unavailable inside the
// verifier. Here the envelope passes and reports tdx.verified=false; the host then fails with
// attestation_verifier_unavailable unless a later verifier (tdx-dcap) set tdx.verified=true.
TEST(EnvelopeReference, TdxRequiredModeLeavesVerificationToTheQuoteVerifier) {
    const auto o = Harness(R"({"require_tdx":true})").run(aci_body_with_quote());
    ASSERT_TRUE(o.ok) << o.code << ": " << o.message;
    EXPECT_TRUE(tdx_of(o)->find("present")->as_bool());
    EXPECT_FALSE(tdx_of(o)->find("verified")->as_bool());
}

TEST(EnvelopeReference, NvidiaRequiredModeFailsOnMissingNvidiaEvidence) {
    EXPECT_EQ(Harness(R"({"require_nvidia":"required"})").run(aci_body()).code, "attestation_missing_nvidia_evidence");
    Value null_payload = aci_body();
    null_payload.set("nvidia_payload", nullptr);
    EXPECT_EQ(Harness(R"({"require_nvidia":"required"})").run(null_payload).code,
              "attestation_missing_nvidia_evidence");
}

TEST(EnvelopeReference, NvidiaRequiredModeFailsOnInvalidNvidiaEvidence) {
    Value body = aci_body();
    body.set("nvidia_payload", 42);
    EXPECT_EQ(Harness(R"({"require_nvidia":"required"})").run(body).code, "attestation_invalid_nvidia_evidence");
    EXPECT_EQ(Harness(R"({"require_nvidia":"when_present"})").run(body).code, "attestation_invalid_nvidia_evidence");
    EXPECT_EQ(nvidia_status(Harness().run(body)), "ignored");
}

// Reference: 503 attestation_verifier_unavailable (no NRAS). Here: "present-unverified", and the
// host fails unless the nvidia-evidence verifier reported "verified".
TEST(EnvelopeReference, NvidiaPayloadWhenPresentIsLeftToTheGpuVerifier) {
    for (const char *payload : {R"({"nonce":"x"})", R"("{\"nonce\":\"x\"}")"}) {
        Value body = aci_body();
        body.set("nvidia_payload", vep::json::parse(payload));
        const auto o = Harness(R"({"require_nvidia":"when_present"})").run(body);
        ASSERT_TRUE(o.ok) << o.message;
        EXPECT_EQ(nvidia_status(o), "present-unverified");
    }
    EXPECT_EQ(nvidia_status(Harness(R"({"require_nvidia":"when_present"})").run(aci_body())), "not-present");
}

TEST(EnvelopeReference, NonceMismatchFailsClosedAsStaleOrReplayedEvidence) {
    Value body = aci_body();
    body.set("nonce", std::string(64, '0'));
    EXPECT_EQ(Harness().run(body).code, "attestation_nonce_mismatch");
}

TEST(EnvelopeReference, SigningAddressMismatchFailsClosed) {
    Value body = aci_body();
    body.set("signing_address", "0x" + std::string(40, '0'));
    EXPECT_EQ(Harness().run(body).code, "attestation_signing_address_mismatch");
}

TEST(EnvelopeReference, MalformedUpstreamResponseShapeFailsClosed) {
    EXPECT_EQ(Harness().run(vep::json::parse("[]")).code, "attestation_malformed_response");
}

// fetches_attestation_with_model_and_nonce_then_verifies: fetching is the host's; the verifying
// half is that an echo of exactly the requested model and nonce verifies, anything else does not.
TEST(EnvelopeReference, EchoOfRequestedModelAndNonceVerifies) {
    Harness h;
    EXPECT_TRUE(h.run(aci_body()).ok);
    EXPECT_EQ(h.run(aci_body(), kNonce, "e2ee-other-model").code, "attestation_model_mismatch");
    std::string other_nonce = kNonce;
    other_nonce[63] = other_nonce[63] == '0' ? '1' : '0';
    EXPECT_EQ(h.run(aci_body(), other_nonce).code, "attestation_nonce_mismatch");
}

// malformed_upstream_json_fails_closed: the reference maps a non-JSON body to
// attestation_fetch_failed in its HTTP client; a body that reaches this plugin and is not JSON is
// attestation_malformed_response. (upstream_fetch_errors_fail_closed is the host's fetch path.)
TEST(EnvelopeReference, MalformedUpstreamJsonFailsClosed) {
    EXPECT_EQ(Harness().run_text("{").code, "attestation_malformed_response");
    EXPECT_EQ(Harness().run_text("").code, "attestation_malformed_response");
}
