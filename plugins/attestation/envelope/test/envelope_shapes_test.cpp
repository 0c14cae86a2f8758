// Envelope plugin beyond the reference tests: both body shapes, every error code and where it
// comes from, REPORTDATA binding variants, prior-report interplay, freshness, config validation,
// the checks list, and the real NEAR AI model attestation.
#include <openssl/sha.h>

#include <algorithm>

#include <gtest/gtest.h>

#include "envelope_fixture.hpp"
#include "vep/hex.hpp"
#include "vep/text.hpp"

using namespace envelope_test;
using vep::json::Value;

namespace {

std::string code_of(const Value &body, const std::string &config = "{}") { return Harness(config).run(body).code; }

Value with(Value body, const std::string &key, Value v) {
    body.set(key, std::move(v));
    return body;
}

Value with_evidence(Value body, const std::string &key, Value v) {
    body.find("attestation")->find("evidence")->set(key, std::move(v));
    return body;
}

std::string hex(const std::array<uint8_t, 64> &rd) { return vep::hex::encode(rd.data(), rd.size()); }

// An aci/1 body whose quote carries `rd` in REPORTDATA and whose quote_report_data is the same.
Value aci_with_report_data(const std::array<uint8_t, 64> &rd) {
    Value body = aci_body_with_quote();
    body = with_evidence(body, "quote", make_quote_hex(rd));
    return with_evidence(body, "quote_report_data", hex(rd));
}

}  // namespace

TEST(EnvelopeShapes, FlatShapeWithSigningKeyIntelQuoteAndReportData) {
    const auto o = Harness().run(flat_body_with_quote());
    ASSERT_TRUE(o.ok) << o.code << ": " << o.message;
    EXPECT_EQ(o.report.find("model_public_key")->as_string(), kPublicKey);
    EXPECT_TRUE(o.report.find("tdx")->find("present")->as_bool());
    EXPECT_EQ(check_names(o.report).front(), "response_shape:1");
    EXPECT_EQ(o.report.find("checks")->as_array().front().find("detail")->as_string(), "flat");
}

TEST(EnvelopeShapes, FlatShapeTdxDebugAlias) {
    EXPECT_EQ(code_of(with(flat_body_with_quote(), "tdx_debug", true)), "attestation_debug_mode_detected");
    // root `debug` wins over the alias
    EXPECT_TRUE(Harness().run(with(with(flat_body_with_quote(), "tdx_debug", true), "debug", false)).ok);
}

TEST(EnvelopeShapes, FlatShapeReportDataMustMatchQuote) {
    Value body = flat_body_with_quote();
    auto rd = venice_report_data();
    rd[63] ^= 1;
    body.set("tdx_reportdata", hex(rd));
    EXPECT_EQ(code_of(body), "attestation_invalid_tdx_evidence");
}

TEST(EnvelopeShapes, AciRootIntelQuoteCopyMustEqualEvidenceQuote) {
    Value body = aci_body_with_quote();
    const std::string quote = body.find("attestation")->find("evidence")->find("quote")->as_string();
    EXPECT_TRUE(Harness().run(with(body, "intel_quote", "0x" + vep::to_lower_ascii(quote))).ok);
    std::string other = quote;
    other[200] = other[200] == 'a' ? 'b' : 'a';
    EXPECT_EQ(code_of(with(body, "intel_quote", other)), "attestation_invalid_tdx_evidence");
    // intel_quote alone (no nested quote) is used as the quote
    Value only_root = aci_body();
    only_root.set("intel_quote", quote);
    const auto o = Harness().run(only_root);
    ASSERT_TRUE(o.ok) << o.message;
    EXPECT_TRUE(o.report.find("tdx")->find("present")->as_bool());
}

TEST(EnvelopeShapes, TypeErrorsAreMalformed) {
    EXPECT_EQ(code_of(with(aci_body(), "verified", "true")), "attestation_malformed_response");
    EXPECT_EQ(code_of(with(aci_body(), "nonce", 5)), "attestation_malformed_response");
    EXPECT_EQ(code_of(with(aci_body(), "debug", "false")), "attestation_malformed_response");
    EXPECT_EQ(code_of(with(aci_body(), "signing_public_key", Value::array())), "attestation_malformed_response");
    EXPECT_EQ(code_of(with(aci_body(), "attestation", "tdx")), "attestation_malformed_response");
    Value evidence_null = aci_body();
    evidence_null.find("attestation")->set("evidence", nullptr);
    EXPECT_EQ(code_of(evidence_null), "attestation_malformed_response");
    EXPECT_EQ(code_of(with_evidence(aci_body_with_quote(), "quote", 7)), "attestation_malformed_response");
}

TEST(EnvelopeShapes, VerdictNonceModelKeyCodes) {
    EXPECT_EQ(code_of(with(aci_body(), "verified", false)), "attestation_upstream_not_verified");
    Value no_nonce = aci_body();
    no_nonce.set("nonce", nullptr);
    EXPECT_EQ(code_of(no_nonce), "attestation_missing_required_field");
    EXPECT_EQ(code_of(with(aci_body(), "nonce", "  ")), "attestation_malformed_response");
    EXPECT_EQ(code_of(with(aci_body(), "nonce", " " + kNonce)), "attestation_nonce_mismatch");
    Value no_model = aci_body();
    no_model.set("model", nullptr);
    EXPECT_EQ(code_of(no_model), "attestation_missing_required_field");
    EXPECT_EQ(code_of(with(aci_body(), "model", "")), "attestation_malformed_response");
    EXPECT_EQ(code_of(with(aci_body(), "signing_public_key", " ")), "attestation_missing_required_field");
    EXPECT_EQ(code_of(with(aci_body(), "signing_public_key", "04zz")), "attestation_invalid_signing_key");
    EXPECT_EQ(code_of(with(aci_body(), "signing_public_key", "04" + std::string(128, '0'))),
              "attestation_invalid_signing_key");
}

TEST(EnvelopeShapes, KeySpellingsNormalise) {
    const std::string compressed = "02" + kPublicKey.substr(2, 64);
    for (const std::string &k : {kPublicKey.substr(2), "0x" + kPublicKey, compressed, "  " + kPublicKey + "\n"}) {
        const auto o = Harness().run(with(aci_body(), "signing_public_key", k));
        ASSERT_TRUE(o.ok) << k << ": " << o.message;
        EXPECT_EQ(o.report.find("model_public_key")->as_string(), kPublicKey);
    }
}

TEST(EnvelopeShapes, SigningAddressForms) {
    std::string upper = kAddress.substr(2);
    for (char &c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    EXPECT_TRUE(Harness().run(with(aci_body(), "signing_address", upper)).ok);
    EXPECT_TRUE(Harness().run(with(aci_body(), "signing_address", " 0x" + upper + " ")).ok);
    Value absent = aci_body();
    absent.set("signing_address", "");
    const auto o = Harness().run(absent);
    ASSERT_TRUE(o.ok);
    EXPECT_EQ(o.report.find("signing_address")->as_string(), kAddress);
    EXPECT_EQ(code_of(with(aci_body(), "signing_address", kAddress.substr(0, 41))), "attestation_signing_address_mismatch");
    EXPECT_EQ(code_of(with(aci_body(), "signing_address", "0x" + std::string(40, 'z'))),
              "attestation_signing_address_mismatch");
}

TEST(EnvelopeShapes, QuoteHeaderErrors) {
    const Value base = aci_body_with_quote();
    const std::string quote = base.find("attestation")->find("evidence")->find("quote")->as_string();
    EXPECT_EQ(code_of(with_evidence(base, "quote", quote.substr(0, 631 * 2))), "attestation_invalid_tdx_evidence");
    std::string sgx = quote;
    sgx.replace(8, 2, "00");  // TEE type 0x00 (SGX)
    EXPECT_EQ(code_of(with_evidence(base, "quote", sgx)), "attestation_invalid_tdx_evidence");
    std::string v3 = quote;
    v3.replace(0, 2, "03");
    EXPECT_EQ(code_of(with_evidence(base, "quote", v3)), "attestation_invalid_tdx_evidence");
    EXPECT_EQ(code_of(with_evidence(base, "quote", quote + "0")), "attestation_invalid_tdx_evidence");  // odd hex
    // whitespace and 0x are tolerated on the quote
    EXPECT_TRUE(Harness().run(with_evidence(base, "quote", " 0x" + quote + "\n")).ok);
}

TEST(EnvelopeShapes, QuoteV5UsesShiftedOffsets) {
    const auto rd = venice_report_data();
    Value body = with_evidence(aci_body_with_quote(), "quote", make_quote_hex(rd, false, 5));
    const auto o = Harness().run(body);
    ASSERT_TRUE(o.ok) << o.message;
    EXPECT_EQ(o.report.find("tdx")->find("version")->as_number().text, "5");
    EXPECT_EQ(code_of(with_evidence(body, "quote", make_quote_hex(rd, true, 5))), "attestation_debug_mode_detected");
}

TEST(EnvelopeShapes, QuoteReportDataErrors) {
    const Value base = aci_body_with_quote();
    const std::string rd = hex(venice_report_data());
    EXPECT_EQ(code_of(with_evidence(base, "quote_report_data", "zz" + rd.substr(2))), "attestation_invalid_tdx_evidence");
    EXPECT_EQ(code_of(with_evidence(base, "quote_report_data", rd.substr(0, 126))), "attestation_invalid_tdx_evidence");
    EXPECT_EQ(code_of(with_evidence(base, "quote_report_data", "0x" + rd)), "attestation_invalid_tdx_evidence");
    // absent quote_report_data: the quote's own REPORTDATA is still checked
    Value no_rd = base;
    no_rd.find("attestation")->find("evidence")->set("quote_report_data", "");
    EXPECT_TRUE(Harness().run(no_rd).ok);
}

TEST(EnvelopeShapes, ReportDataBindingVariants) {
    const auto key = *vep::hex::decode(kPublicKey);
    const auto nonce = *vep::hex::decode(kNonce);
    std::array<uint8_t, 64> rd{};
    // SHA-256(key) || raw nonce
    SHA256(key.data(), key.size(), rd.data());
    std::copy(nonce.begin(), nonce.end(), rd.begin() + 32);
    auto o = Harness().run(aci_with_report_data(rd));
    ASSERT_TRUE(o.ok) << o.message;
    EXPECT_EQ(o.report.find("tdx")->find("report_data_binding")->as_string(), "sha256");
    // SHA-256("0x…" address text) || SHA-256(nonce text)
    SHA256(reinterpret_cast<const unsigned char *>(kAddress.data()), kAddress.size(), rd.data());
    SHA256(reinterpret_cast<const unsigned char *>(kNonce.data()), kNonce.size(), rd.data() + 32);
    o = Harness().run(aci_with_report_data(rd));
    ASSERT_TRUE(o.ok) << o.message;
    EXPECT_EQ(o.report.find("tdx")->find("nonce_binding")->as_string(), "sha256");
    // raw address with non-zero padding
    rd = venice_report_data();
    rd[25] = 1;
    EXPECT_EQ(code_of(aci_with_report_data(rd)), "attestation_invalid_tdx_evidence");
    // another key's address
    rd = venice_report_data("0x" + std::string(40, '1'));
    EXPECT_EQ(code_of(aci_with_report_data(rd)), "attestation_invalid_tdx_evidence");
    // replayed quote: right key, old nonce
    rd = venice_report_data(kAddress, std::string(64, 'e'));
    EXPECT_EQ(code_of(aci_with_report_data(rd)), "attestation_nonce_mismatch");
}

TEST(EnvelopeShapes, PriorVerdictsAreNotOverwritten) {
    Value body = aci_body_with_quote();
    body.set("nvidia_payload", "{}");
    const Value prior = vep::json::parse(R"({"tdx":{"verified":true},"nvidia":{"status":"verified"}})");
    const auto o = Harness(R"({"require_nvidia":"required"})").run(body, kNonce, kModel, prior);
    ASSERT_TRUE(o.ok) << o.message;
    EXPECT_FALSE(o.report.find("tdx")->find("verified"));
    EXPECT_EQ(o.report.find("nvidia")->find("status")->as_string(), "verified");
}

TEST(EnvelopeShapes, FreshnessFromStaleAfterAndKeysetEpoch) {
    Value body = aci_body();
    body.find("attestation")->set("freshness", vep::json::parse(R"({"fetched_at":"2025-12-31T23:00:00Z","stale_after":"2026-01-01T01:00:00Z"})"));
    body.find("attestation")->set("workload_keyset", vep::json::parse(R"({"keyset_epoch":{"version":1,"not_after":1767227400}})"));
    Harness h;
    auto o = h.run(body, kNonce, kModel, Value::object(), 1767225600);
    ASSERT_TRUE(o.ok) << o.message;
    EXPECT_EQ(o.report.find("freshness_not_after")->as_number().text, "1767227400");  // the earlier one
    o = h.run(body, kNonce, kModel, Value::object(), 1767227400 + 61);
    EXPECT_EQ(o.code, "attestation_evidence_expired");
    EXPECT_EQ(check_names(o.report).back(), "freshness:0");
    EXPECT_TRUE(h.run(body, kNonce, kModel, Value::object(), 1767227400 + 60).ok);  // default skew 60 s
    EXPECT_EQ(Harness(R"({"freshness_skew_seconds":0})").run(body, kNonce, kModel, Value::object(), 1767227401).code,
              "attestation_evidence_expired");
    body.find("attestation")->find("freshness")->set("stale_after", "tomorrow");
    EXPECT_EQ(code_of(body), "attestation_malformed_response");
    EXPECT_FALSE(Harness().run(aci_body()).report.find("freshness_not_after"));
}

TEST(EnvelopeShapes, ChecksListOneEntryPerCheck) {
    const auto o = Harness().run(aci_body_with_quote());
    ASSERT_TRUE(o.ok);
    EXPECT_EQ(check_names(o.report),
              (std::vector<std::string>{"response_shape:1", "upstream_verified:1", "nonce_echo:1", "model_echo:1",
                                        "signing_key:1", "signing_address:1", "debug_flag:1", "tdx_quote:1",
                                        "tdx_report_data:1", "nvidia_payload:1"}));
    for (const auto &c : o.report.find("checks")->as_array()) EXPECT_EQ(c.find("verifier")->as_string(), "envelope");
    const auto failed = Harness().run(with(aci_body(), "model", "other"));
    EXPECT_EQ(check_names(failed.report),
              (std::vector<std::string>{"response_shape:1", "upstream_verified:1", "nonce_echo:1", "model_echo:0"}));
}

TEST(EnvelopeShapes, ConfigValidation) {
    EXPECT_THROW(Harness(R"({"require_tdx":"yes"})"), vep::Failure);
    EXPECT_THROW(Harness(R"({"requre_tdx":true})"), vep::Failure);
    EXPECT_THROW(Harness(R"({"freshness_skew_seconds":-1})"), vep::Failure);
    EXPECT_THROW(Harness(R"([1])"), vep::Failure);
    EXPECT_NO_THROW(Harness(R"({"require_tdx":false,"require_nvidia":"never","allow_debug":false,"pccs_url":"https://x"})"));
}

// The real NEAR AI model attestation in the older flat shape (as Venice's gateway emits it):
// 64-byte signing key, quote REPORTDATA = address || zeros || nonce.
TEST(EnvelopeShapes, RealNearAiModelAttestation) {
    const Value report = vep::json::parse(read_file("tests/data/attestation/nearai_cloud_report_gpt_oss_120b.json"));
    const Value &m = report.find("model_attestations")->as_array().at(0);
    Value body = Value::object();
    body.set("verified", true);
    body.set("nonce", m.find("request_nonce")->as_string());
    body.set("model", m.find("model_name")->as_string());
    body.set("signing_public_key", m.find("signing_public_key")->as_string());
    body.set("signing_address", m.find("signing_address")->as_string());
    body.set("intel_quote", m.find("intel_quote")->as_string());
    body.set("nvidia_payload", m.find("nvidia_payload")->as_string());
    const std::string nonce = "deadbeef00000000000000000000000000000000000000000000000000000001";
    const auto o = Harness(R"({"require_nvidia":"when_present"})").run(body, nonce, "openai/gpt-oss-120b");
    ASSERT_TRUE(o.ok) << o.code << ": " << o.message;
    EXPECT_EQ(o.report.find("signing_address")->as_string(), "0x56d070df1c6be444b007839ef9cf67cec7c12b8b");
    EXPECT_EQ(o.report.find("tdx")->find("report_data_binding")->as_string(), "raw");
    EXPECT_EQ(o.report.find("tdx")->find("nonce_binding")->as_string(), "raw");
    EXPECT_FALSE(o.report.find("tdx")->find("debug")->as_bool());
    EXPECT_EQ(o.report.find("nvidia")->find("status")->as_string(), "present-unverified");
    std::string other = nonce;
    other[63] = '2';
    body.set("nonce", other);
    EXPECT_EQ(Harness().run(body, other, "openai/gpt-oss-120b").code, "attestation_nonce_mismatch");
}

TEST(EnvelopeShapes, WorkloadKeysetDigestAndReceiptKeysReachTheReport) {
    Value body = aci_body();
    const char *keyset = R"({"keyset_epoch":{"version":1},"receipt_signing_keys":[{"key_id":"k1","algo":"ed25519","public_key":"ab"}]})";
    body.find("attestation")->set("workload_keyset", vep::json::parse(keyset));
    // sha256 of the RFC 8785 form: {"keyset_epoch":{"version":1},"receipt_signing_keys":[{"algo":"ed25519","key_id":"k1","public_key":"ab"}]}
    body.set("workload_keyset_digest", "sha256:4d1b1f5e0b1bd44d0a1dc0f1f0ad8e1ad0d4d8c8fa7f6a2f1c3c7c0b5e7d9a10");
    const auto wrong = Harness().run(body);
    EXPECT_EQ(wrong.code, "attestation_malformed_response");
    EXPECT_EQ(check_names(wrong.report).back(), "workload_keyset:0");

    body.as_object().erase(std::remove_if(body.as_object().begin(), body.as_object().end(),
                                          [](const auto &m) { return m.first == "workload_keyset_digest"; }),
                           body.as_object().end());
    const auto served = Harness().run(body);
    ASSERT_TRUE(served.ok) << served.message;
    const Value *reported = served.report.find("workload_keyset");
    ASSERT_TRUE(reported);
    const std::string digest = reported->find("digest")->as_string();
    EXPECT_EQ(digest.rfind("sha256:", 0), 0u);
    EXPECT_EQ(reported->find("receipt_signing_keys")->as_array().at(0).find("key_id")->as_string(), "k1");

    body.set("workload_keyset_digest", digest);
    EXPECT_TRUE(Harness().run(body).ok);
    EXPECT_FALSE(Harness().run(aci_body()).report.find("workload_keyset"));
}
