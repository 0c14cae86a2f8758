// Quotes forged by vep_tdx_forge: accepted under the pinned test root, and one negative test per
// check (a flipped byte in each signed part, wrong nonce/address, debug, untrusted roots).
#include <gtest/gtest.h>

#include <openssl/evp.h>

#include "test_support.hpp"
#include "vep/hex.hpp"

using namespace tdx_test;
using vep::json::Value;
using vep::sim::tdx::forge_quote;

namespace {

constexpr size_t kV4Body = 48;
constexpr size_t kV4SigData = 636;           // after the 4-byte length
constexpr size_t kV4QeReport = kV4SigData + 134;  // signature 64 + key 64 + type 2 + size 4

Plugin &test_root_plugin() {
    static Plugin plugin(test_root_config());
    return plugin;
}

vep::client::AttestationOutcome verify_flat(const std::vector<uint8_t> &quote,
                                            const std::string &nonce = kNonce) {
    return test_root_plugin().verify(flat_evidence(quote), nonce);
}

std::vector<uint8_t> flipped(std::vector<uint8_t> quote, size_t offset, uint8_t mask = 0x01) {
    quote.at(offset) ^= mask;
    return quote;
}

void expect_invalid(const vep::client::AttestationOutcome &out, const std::string &failed_check) {
    EXPECT_FALSE(out.ok);
    EXPECT_EQ(out.code, "attestation_invalid_tdx_evidence") << out.message;
    EXPECT_EQ(check_ok(out.report, failed_check), std::optional<bool>(false)) << out.message;
    EXPECT_EQ(tdx_field(out.report, "verified"), Value(false));
}

vep::sim::tdx::SigningPki rogue_pki() {
    const std::string dir = data_path("tdx-test-pki/rogue-same-subject/");
    return {read_text(dir + "root-ca.pem"), read_text(dir + "pck-ca.pem"), read_text(dir + "pck-leaf.pem"),
            read_text(dir + "pck-leaf.key"), read_text(dir + "attestation-key.pem")};
}

TEST(ForgedQuote, V4AndV5VerifyUnderThePinnedTestRoot) {
    for (uint16_t version : {4, 5}) {
        const auto out = verify_flat(forge_quote(bound_spec(version)));
        ASSERT_TRUE(out.ok) << out.code << ": " << out.message;
        EXPECT_EQ(tdx_field(out.report, "verified"), Value(true));
        EXPECT_EQ(tdx_field(out.report, "version"), Value(version));
        EXPECT_EQ(tdx_field(out.report, "debug"), Value(false));
        EXPECT_EQ(tdx_field(out.report, "tcb_status"), Value("not-evaluated"));
        EXPECT_EQ(tdx_field(out.report, "report_data_binding"), Value("raw"));
    }
}

TEST(ForgedQuote, AciShapeWithMatchingQuoteReportData) {
    const auto spec = bound_spec();
    const std::string rd = vep::hex::encode(spec.report_data.data(), spec.report_data.size());
    const auto out = test_root_plugin().verify(aci_evidence(forge_quote(spec), rd), kNonce);
    ASSERT_TRUE(out.ok) << out.message;
    EXPECT_EQ(check_ok(out.report, "quote_report_data"), std::optional<bool>(true));
}

TEST(ForgedQuote, QuoteReportDataThatDiffersIsRejected) {
    const auto spec = bound_spec();
    std::vector<uint8_t> rd(spec.report_data.begin(), spec.report_data.end());
    rd[63] ^= 1;
    expect_invalid(test_root_plugin().verify(aci_evidence(forge_quote(spec), vep::hex::encode(rd)), kNonce), "quote_report_data");
}

TEST(ForgedQuote, FailsWithTheIntelRootPinned) {
    const auto out = Plugin(Value::object()).verify(flat_evidence(forge_quote(bound_spec())), kNonce);
    expect_invalid(out, "pck_chain");  // the test intermediate has no issuer among the trusted roots
}

TEST(ForgedQuote, UntrustedRootWithTheSameSubjectNameIsRejected) {
    const auto rogue = rogue_pki();
    ASSERT_EQ(rogue.root_ca_pem.substr(0, 27), "-----BEGIN CERTIFICATE-----");
    const auto out = verify_flat(forge_quote(bound_spec(), rogue));
    expect_invalid(out, "pck_chain");
    // Every other check passes: only the pin tells the two roots apart.
    EXPECT_EQ(check_ok(out.report, "qe_report_signature"), std::optional<bool>(true));
}

TEST(ForgedQuote, SwappingInTheRogueRootIsRejected) {
    // The test PKI's chain with its root replaced by the same-named rogue root.
    const auto &pki = vep::sim::tdx::test_pki();
    vep::sim::tdx::SigningPki mixed = pki;
    mixed.root_ca_pem = rogue_pki().root_ca_pem;
    expect_invalid(verify_flat(forge_quote(bound_spec(), mixed)), "pck_chain");
}

TEST(ForgedQuote, FlippedBodyByteBreaksTheQuoteSignature) {
    const auto quote = forge_quote(bound_spec());
    expect_invalid(verify_flat(flipped(quote, kV4Body + 136)), "quote_signature");  // MRTD
    expect_invalid(verify_flat(flipped(quote, 30)), "quote_signature");             // header user data
}

TEST(ForgedQuote, WrongHeaderFieldsAreRejected) {
    const auto quote = forge_quote(bound_spec());
    expect_invalid(verify_flat(flipped(quote, 2)), "quote_header");   // attestation key type 2 -> 3
    expect_invalid(verify_flat(flipped(quote, 4)), "quote_header");   // TEE type 0x81 -> 0x80
    expect_invalid(verify_flat(flipped(quote, 12)), "quote_header");  // QE vendor id
}

TEST(ForgedQuote, FlippedQuoteSignatureByte) {
    expect_invalid(verify_flat(flipped(forge_quote(bound_spec()), kV4SigData + 10)), "quote_signature");
}

TEST(ForgedQuote, FlippedAttestationKeyByte) {
    const auto out = verify_flat(flipped(forge_quote(bound_spec()), kV4SigData + 64 + 5));
    expect_invalid(out, "quote_signature");
}

TEST(ForgedQuote, FlippedQeReportByteBreaksItsSignature) {
    expect_invalid(verify_flat(flipped(forge_quote(bound_spec()), kV4QeReport + 64)), "qe_report_signature");
}

TEST(ForgedQuote, FlippedQeReportDataBreaksTheKeyBinding) {
    expect_invalid(verify_flat(flipped(forge_quote(bound_spec()), kV4QeReport + 320)), "qe_report_binding");
}

TEST(ForgedQuote, FlippedQeReportSignatureByte) {
    expect_invalid(verify_flat(flipped(forge_quote(bound_spec()), kV4QeReport + 384 + 3)), "qe_report_signature");
}

TEST(ForgedQuote, FlippedQeAuthDataBreaksTheKeyBinding) {
    expect_invalid(verify_flat(flipped(forge_quote(bound_spec()), kV4QeReport + 384 + 64 + 2)), "qe_report_binding");
}

TEST(ForgedQuote, FlippedCertificateByteBreaksTheChain) {
    const auto quote = forge_quote(bound_spec());
    const std::string text(quote.begin(), quote.end());
    // A base64 character inside the PCK CA certificate's signature (its last line before END).
    const size_t ca_begin = text.find("-----BEGIN CERTIFICATE-----", text.find("-----END CERTIFICATE-----"));
    const size_t ca_end = text.find("-----END CERTIFICATE-----", ca_begin);
    ASSERT_NE(ca_end, std::string::npos);
    size_t pos = ca_end - 10;
    auto bytes = quote;
    bytes[pos] = bytes[pos] == 'A' ? 'B' : 'A';
    expect_invalid(verify_flat(bytes), "pck_chain");
}

TEST(ForgedQuote, WrongNonceIsRejected) {
    const auto out = verify_flat(forge_quote(bound_spec()),
                                 "00000000000000000000000000000000000000000000000000000000000000ff");
    expect_invalid(out, "report_data_binding");
    EXPECT_NE(out.message.find("nonce"), std::string::npos);
}

TEST(ForgedQuote, NonceBoundAsSha256OfTheNonceString) {
    auto spec = bound_spec();
    unsigned char digest[32];
    EVP_Digest(kNonce.data(), kNonce.size(), digest, nullptr, EVP_sha256(), nullptr);
    std::copy(digest, digest + 32, spec.report_data.begin() + 32);
    const auto out = verify_flat(forge_quote(spec));
    ASSERT_TRUE(out.ok) << out.message;
    EXPECT_EQ(tdx_field(out.report, "report_data_binding"), Value("sha256"));
}

TEST(ForgedQuote, WrongAddressIsRejected) {
    auto spec = bound_spec();
    spec.report_data[0] ^= 0x80;
    expect_invalid(verify_flat(forge_quote(spec)), "report_data_binding");

    Value prior = Value::object();
    prior.set("signing_address", "0x614bc66ff0407dbb70b9c7ca1f5e983e4a02c921");
    expect_invalid(test_root_plugin().verify(flat_evidence(forge_quote(bound_spec())), kNonce, prior),
                   "report_data_binding");
}

TEST(ForgedQuote, NonZeroPaddingIsRejected) {
    auto spec = bound_spec();
    spec.report_data[25] = 1;
    expect_invalid(verify_flat(forge_quote(spec)), "report_data_binding");
}

TEST(ForgedQuote, DebugTdIsRejectedUnlessAllowed) {
    auto spec = bound_spec();
    spec.debug = true;
    const auto quote = forge_quote(spec);
    const auto out = verify_flat(quote);
    EXPECT_EQ(out.code, "attestation_debug_mode_detected");
    EXPECT_EQ(tdx_field(out.report, "debug"), Value(true));

    Value allow = Value::object();
    allow.set("allow_debug", true);
    const auto allowed = Plugin(test_root_config(allow)).verify(flat_evidence(quote), kNonce);
    ASSERT_TRUE(allowed.ok) << allowed.message;
    EXPECT_EQ(tdx_field(allowed.report, "debug"), Value(true));
}

TEST(ForgedQuote, CopiesOfTheQuoteMustAgree) {
    Value ev = vep::json::parse(aci_evidence(forge_quote(bound_spec())));
    ev.set("intel_quote", vep::hex::encode(forge_quote(bound_spec(5))));
    const auto out = test_root_plugin().verify(vep::json::dump(ev), kNonce);
    EXPECT_EQ(out.code, "attestation_invalid_tdx_evidence");
    EXPECT_NE(out.message.find("differs"), std::string::npos) << out.message;
}

TEST(ForgedQuote, Base64QuoteAndTrailingZerosAreAccepted) {
    auto quote = forge_quote(bound_spec());
    quote.insert(quote.end(), 70, 0);
    std::string b64(4 * ((quote.size() + 2) / 3), '\0');
    EVP_EncodeBlock(reinterpret_cast<unsigned char *>(b64.data()), quote.data(), static_cast<int>(quote.size()));
    Value ev = vep::json::parse(flat_evidence(quote));
    ev.set("intel_quote", b64);
    const auto out = test_root_plugin().verify(vep::json::dump(ev), kNonce);
    EXPECT_TRUE(out.ok) << out.message;
}

TEST(ForgedQuote, MissingQuote) {
    Value ev = Value::object();
    ev.set("signing_public_key", kSigningPublicKey);
    const auto relaxed = test_root_plugin().verify(vep::json::dump(ev), kNonce);
    ASSERT_TRUE(relaxed.ok) << relaxed.message;
    EXPECT_EQ(tdx_field(relaxed.report, "present"), Value(false));
    EXPECT_EQ(tdx_field(relaxed.report, "verified"), Value(false));

    Value strict = Value::object();
    strict.set("require_tdx", true);
    EXPECT_EQ(Plugin(test_root_config(strict)).verify(vep::json::dump(ev), kNonce).code,
              "attestation_missing_tdx_evidence");
}

TEST(ForgedQuote, GarbageEvidence) {
    EXPECT_EQ(test_root_plugin().verify("not json", kNonce).code, "attestation_malformed_response");
    Value ev = Value::object();
    ev.set("intel_quote", "zz");
    EXPECT_EQ(test_root_plugin().verify(vep::json::dump(ev), kNonce).code, "attestation_invalid_tdx_evidence");
    ev.set("intel_quote", "00112233");
    expect_invalid(test_root_plugin().verify(vep::json::dump(ev), kNonce), "quote_format");
}

}  // namespace
