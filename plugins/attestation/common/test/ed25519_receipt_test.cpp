// Ed25519 receipts: RFC 8032 §7.1 test vectors, the signed bytes of a receipt (JCS without
// signature.value, independent of member order) and mutations that must fail.
#include <gtest/gtest.h>

#include <string>

#include "vep/attestation/ed25519_receipt.hpp"
#include "vep/hex.hpp"
#include "vep/json.hpp"
#include "vep/sdk.hpp"

using namespace vep::attestation;

namespace {

std::array<uint8_t, 32> key_of(const char *hex) {
    const auto bytes = vep::hex::decode(hex);
    std::array<uint8_t, 32> key{};
    std::copy(bytes->begin(), bytes->end(), key.begin());
    return key;
}

constexpr const char *kRfc8032Test1Secret = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";
constexpr const char *kRfc8032Test1Public = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";
constexpr const char *kRfc8032Test1Signature =
    "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe2465"
    "5141438e7a100b";
constexpr const char *kRfc8032Test2Public = "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c";
constexpr const char *kRfc8032Test2Signature =
    "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aee"
    "b00d291612bb0c00";

const char *kReceipt = R"({"api_version":"aci/1","receipt_id":"rcpt-1","chat_id":"chatcmpl-abc","model":"m",
  "event_log":[{"seq":1,"type":"request.received","body_hash":"sha256:00"}],
  "signature":{"algo":"ed25519","key_id":"k1","value":""}})";

}  // namespace

TEST(Ed25519Receipt, Rfc8032Vectors) {
    EXPECT_EQ(ed25519_public_key_hex(key_of(kRfc8032Test1Secret)), kRfc8032Test1Public);
    EXPECT_EQ(ed25519_sign(key_of(kRfc8032Test1Secret), ""), kRfc8032Test1Signature);
    EXPECT_TRUE(ed25519_verify(kRfc8032Test1Public, "", kRfc8032Test1Signature));
    EXPECT_TRUE(ed25519_verify(kRfc8032Test2Public, std::string("\x72", 1), kRfc8032Test2Signature));
    EXPECT_FALSE(ed25519_verify(kRfc8032Test2Public, std::string("\x73", 1), kRfc8032Test2Signature));
    EXPECT_FALSE(ed25519_verify(kRfc8032Test1Public, std::string("\x72", 1), kRfc8032Test2Signature));
}

TEST(Ed25519Receipt, SigningBytesLeaveOutOnlyTheSignatureValue) {
    const auto receipt = vep::json::parse(kReceipt);
    EXPECT_EQ(receipt_signing_bytes(receipt),
              R"({"api_version":"aci/1","chat_id":"chatcmpl-abc","event_log":[{"body_hash":"sha256:00","seq":1,)"
              R"("type":"request.received"}],"model":"m","receipt_id":"rcpt-1","signature":{"algo":"ed25519","key_id":"k1"}})");
}

TEST(Ed25519Receipt, SignedReceiptVerifiesAndAnyChangeFails) {
    const auto secret = ed25519_generate_private_key();
    const std::string public_hex = ed25519_public_key_hex(secret);
    auto receipt = vep::json::parse(kReceipt);
    const std::string value = ed25519_sign(secret, receipt_signing_bytes(receipt));
    receipt.find("signature")->set("value", value);
    EXPECT_TRUE(ed25519_verify(public_hex, receipt_signing_bytes(receipt), value));

    auto other = receipt;
    other.set("chat_id", "chatcmpl-other");
    EXPECT_FALSE(ed25519_verify(public_hex, receipt_signing_bytes(other), value));

    std::string flipped = value;
    flipped[10] = flipped[10] == '0' ? '1' : '0';
    EXPECT_FALSE(ed25519_verify(public_hex, receipt_signing_bytes(receipt), flipped));
    EXPECT_FALSE(ed25519_verify(ed25519_public_key_hex(ed25519_generate_private_key()), receipt_signing_bytes(receipt),
                                value));
}

TEST(Ed25519Receipt, MalformedInputsFailClosed) {
    EXPECT_FALSE(ed25519_verify("nothex", "", kRfc8032Test1Signature));
    EXPECT_FALSE(ed25519_verify(kRfc8032Test1Public, "", "00"));
    EXPECT_THROW(receipt_signing_bytes(vep::json::parse(R"({"signature":"x"})")), vep::Failure);
    EXPECT_THROW(receipt_signing_bytes(vep::json::parse("[]")), vep::Failure);
}
