// check_receipt on records signed here with test keys: a valid record verifies with every check
// passing; a hash that differs is "unverifiable" (not failed, not passed); and each mutation — a
// flipped signature byte, another signer, another completion, another keyset, an unknown key, a
// missing receipt, no keyset in the attestation — fails its named check.
#include <gtest/gtest.h>

#include <string>

#include "attestation/receipt_check.hpp"
#include "vep/attestation/ed25519_receipt.hpp"
#include "vep/attestation/eip191_signature.hpp"
#include "vep/attestation/secp256k1_public_key.hpp"
#include "vep/hex.hpp"
#include "vep/json.hpp"

namespace vep::host {
namespace {

using json::Value;

std::array<uint8_t, 32> secp_key(const char *hex) {
    const auto bytes = vep::hex::decode(hex);
    std::array<uint8_t, 32> key{};
    std::copy(bytes->begin(), bytes->end(), key.begin());
    return key;
}

const auto kSigner = secp_key("4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318");
const auto kOtherSigner = secp_key("0000000000000000000000000000000000000000000000000000000000000007");
constexpr const char *kAddress = "0x2c7536e3605d9c16a7a3d7b1898e529396a65c23";
const std::string kRequestHash(64, 'a');
const std::string kResponseHash(64, 'b');
constexpr const char *kDigest = "sha256:1111111111111111111111111111111111111111111111111111111111111111";

struct Fixture {
    std::array<uint8_t, 32> receipt_secret = vep::attestation::ed25519_generate_private_key();
    Value report = Value::object();
    ReceiptEvidence evidence{"chatcmpl-1", kRequestHash, kResponseHash};

    Fixture() {
        report.set("signing_address", kAddress);
        Value key = Value::object();
        key.set("key_id", "k1");
        key.set("algo", "ed25519");
        key.set("public_key", vep::attestation::ed25519_public_key_hex(receipt_secret));
        Value keyset = Value::object();
        keyset.set("digest", kDigest);
        keyset.set("receipt_signing_keys", json::Array{key});
        report.set("workload_keyset", std::move(keyset));
    }

    Value receipt(const std::string &chat_id = "chatcmpl-1") const {
        return json::parse(R"({"api_version":"aci/1","receipt_id":"r1","chat_id":")" + chat_id +
                           R"(","workload_keyset_digest":")" + kDigest +
                           R"(","event_log":[{"seq":1,"type":"request.received","body_hash":"sha256:)" + kRequestHash +
                           R"("},{"seq":2,"type":"response.returned","body_hash":"sha256:)" + kResponseHash +
                           R"("}],"signature":{"algo":"ed25519","key_id":"k1"}})");
    }

    // A record: `text` signed by `signer`, `receipt` signed by the receipt key.
    Value record(Value receipt_body, const std::array<uint8_t, 32> &signer = kSigner,
                 const std::string &text = kRequestHash + ":" + kResponseHash) const {
        receipt_body.find("signature")->set(
            "value", vep::attestation::ed25519_sign(receipt_secret, vep::attestation::receipt_signing_bytes(receipt_body)));
        Value doc = Value::object();
        doc.set("text", text);
        doc.set("signature", vep::attestation::sign_eip191(text, signer));
        doc.set("signing_address", kAddress);
        doc.set("receipt", std::move(receipt_body));
        return doc;
    }

    ReceiptVerdict check(const Value &doc) const { return check_receipt(json::dump(doc), evidence, report); }
};

std::string status_of(const ReceiptVerdict &v, const std::string &name) {
    for (const auto &c : v.checks.as_array())
        if (c.find("name")->as_string() == name) return c.find("status")->as_string();
    return "absent";
}

TEST(ReceiptCheck, ValidRecordVerifiesWithEveryCheckPassing) {
    Fixture f;
    const ReceiptVerdict v = f.check(f.record(f.receipt()));
    EXPECT_TRUE(v.verified) << json::dump(v.checks);
    EXPECT_EQ(v.checks.as_array().size(), 11u);
    for (const auto &c : v.checks.as_array()) EXPECT_EQ(c.find("status")->as_string(), "pass") << json::dump(c);
}

TEST(ReceiptCheck, DifferingHashesAreUnverifiableNotPassedNorFailed) {
    Fixture f;
    f.evidence.request_sha256 = std::string(64, 'c');
    f.evidence.response_sha256 = std::string(64, 'd');
    const ReceiptVerdict v = f.check(f.record(f.receipt()));
    EXPECT_TRUE(v.verified);
    for (const char *name : {"request_hash", "response_hash", "receipt_request_hash", "receipt_response_hash"})
        EXPECT_EQ(status_of(v, name), "unverifiable") << name;
    EXPECT_EQ(status_of(v, "eip191_signature"), "pass");
}

TEST(ReceiptCheck, PlainTextRecordLeavesItsHashesUnverifiable) {
    Fixture f;
    const ReceiptVerdict v = f.check(f.record(f.receipt(), kSigner, "plain content"));
    EXPECT_TRUE(v.verified);
    EXPECT_EQ(status_of(v, "request_hash"), "unverifiable");
    EXPECT_EQ(status_of(v, "eip191_signature"), "pass");
}

TEST(ReceiptCheck, FlippedTextSignatureFails) {
    Fixture f;
    Value doc = f.record(f.receipt());
    std::string sig = doc.find("signature")->as_string();
    sig[10] = sig[10] == '0' ? '1' : '0';
    doc.set("signature", sig);
    const ReceiptVerdict v = f.check(doc);
    EXPECT_FALSE(v.verified);
    EXPECT_EQ(status_of(v, "eip191_signature"), "fail");
    EXPECT_EQ(v.failed, "eip191_signature");
}

TEST(ReceiptCheck, AnotherSignerFails) {
    Fixture f;
    const ReceiptVerdict v = f.check(f.record(f.receipt(), kOtherSigner));
    EXPECT_FALSE(v.verified);
    EXPECT_EQ(status_of(v, "eip191_signature"), "fail");
}

TEST(ReceiptCheck, ServedAddressOtherThanTheAttestedFails) {
    Fixture f;
    Value doc = f.record(f.receipt());
    doc.set("signing_address", "0x0000000000000000000000000000000000000001");
    EXPECT_EQ(status_of(f.check(doc), "signing_address"), "fail");
}

TEST(ReceiptCheck, SignatureObjectFormIsAccepted) {
    Fixture f;
    Value doc = f.record(f.receipt());
    Value wrapped = Value::object();
    wrapped.set("value", doc.find("signature")->as_string());
    doc.set("signature", std::move(wrapped));
    EXPECT_EQ(status_of(f.check(doc), "eip191_signature"), "pass");
}

TEST(ReceiptCheck, ReceiptForAnotherCompletionFails) {
    Fixture f;
    const ReceiptVerdict v = f.check(f.record(f.receipt("chatcmpl-2")));
    EXPECT_FALSE(v.verified);
    EXPECT_EQ(v.failed, "receipt_chat_id");
    f.evidence.completion_id.clear();
    EXPECT_EQ(status_of(f.check(f.record(f.receipt())), "receipt_chat_id"), "fail");
}

TEST(ReceiptCheck, TamperedReceiptFailsItsSignature) {
    Fixture f;
    Value doc = f.record(f.receipt());
    doc.find("receipt")->set("receipt_id", "r2");  // signed as r1
    EXPECT_EQ(status_of(f.check(doc), "receipt_signature"), "fail");
    Value flipped = f.record(f.receipt());
    std::string value = flipped.find("receipt")->find("signature")->find("value")->as_string();
    value[0] = value[0] == '0' ? '1' : '0';
    flipped.find("receipt")->find("signature")->set("value", value);
    EXPECT_EQ(status_of(f.check(flipped), "receipt_signature"), "fail");
}

TEST(ReceiptCheck, ReceiptNamingAnotherKeysetOrKeyFails) {
    Fixture f;
    Value other_keyset = f.receipt();
    other_keyset.set("workload_keyset_digest", "sha256:" + std::string(64, '2'));
    EXPECT_EQ(status_of(f.check(f.record(other_keyset)), "receipt_keyset_digest"), "fail");
    Value unknown_key = f.receipt();
    unknown_key.find("signature")->set("key_id", "k9");
    const ReceiptVerdict v = f.check(f.record(unknown_key));
    EXPECT_EQ(status_of(v, "receipt_key"), "fail");
    EXPECT_EQ(status_of(v, "receipt_signature"), "absent");
    EXPECT_FALSE(v.verified);
}

TEST(ReceiptCheck, MissingPartsFailClosed) {
    Fixture f;
    Value no_receipt = f.record(f.receipt());
    no_receipt.as_object().pop_back();
    EXPECT_EQ(status_of(f.check(no_receipt), "receipt_signature"), "fail");
    EXPECT_FALSE(check_receipt("not json", f.evidence, f.report).verified);
    EXPECT_FALSE(check_receipt("[]", f.evidence, f.report).verified);
    const Value doc = f.record(f.receipt());
    Value no_keyset = f.report;
    no_keyset.as_object().pop_back();
    EXPECT_EQ(status_of(check_receipt(json::dump(doc), f.evidence, no_keyset), "receipt_key"), "fail");
    EXPECT_EQ(status_of(check_receipt(json::dump(doc), f.evidence, Value::object()), "eip191_signature"), "fail");
}

}  // namespace
}  // namespace vep::host
