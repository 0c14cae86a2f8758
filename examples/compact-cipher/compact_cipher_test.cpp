// Unit test of compact-cipher through the SDK's fakes and vep::client::CipherClient, as the proxy
// calls it: a known-answer vector produced by the bundled e2ee-openssl backend (interoperability),
// round trips, key formats, and the failure codes of bad payloads.
#include <gtest/gtest.h>

#include <functional>
#include <string>

#include <vep/client.hpp>
#include <vep/testing/fake_host.hpp>

extern "C" const vep_plugin_descriptor *vep_plugin_entry(const vep_host_api *, char *, size_t);

namespace {

// Recipient private key 01 02 .. 20, ephemeral private key a0 a1 .. bf, nonce 00 11 22 .. bb,
// plaintext "hello, enclave", hkdf_info "ecdsa_encryption": the payload e2ee-openssl and
// e2ee-secp256k1 both produce.
constexpr const char *kRecipientPublic = "0484bf7562262bbd6940085748f3be6afa52ae317155181ece31b66351ccffa4b08cc43d63b2859d469fee15f31c9edb5324266e6fd0407e87382d60fc4511acd8";
constexpr const char *kPayload = "0459985e15f91d5c9e770a1540459ab643fe646b73648abbbb65a13ad0539658e98a90ed11b3966e7fbff3102d88777b8b1c046f71ea4e9e01fd94224b718178aa00112233445566778899aabb040ca1c7b4beb90e1e2dc8447a3991821043e792d39a6aaa2b704744d27c";

struct Fixture {
    vep::testing::FakeHost host;
    std::shared_ptr<vep::client::CipherClient> cipher =
        vep::client::CipherClient::create(host.load(&vep_plugin_entry), R"({"hkdf_info":"ecdsa_encryption"})", nullptr);

    std::shared_ptr<vep::client::CipherClient::Key> key_from(uint8_t first) const {
        uint8_t scalar[32];
        for (int i = 0; i < 32; ++i) scalar[i] = static_cast<uint8_t>(first + i);
        return cipher->import(scalar, sizeof scalar);
    }
};

std::string failure_code(const std::function<void()> &call) {
    try {
        call();
    } catch (const vep::Failure &f) {
        return f.code();
    }
    return "no failure";
}

}  // namespace

TEST(CompactCipher, MatchesTheBundledBackendsVector) {
    Fixture f;
    const auto recipient = f.key_from(0x01);
    const auto ephemeral = f.key_from(0xA0);
    EXPECT_EQ(recipient->public_hex(), kRecipientPublic);
    const uint8_t nonce[12] = {0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xAA, 0xBB};
    std::string payload;
    f.cipher->encrypt(recipient->public_hex(), "hello, enclave", payload, ephemeral.get(), nonce);
    EXPECT_EQ(payload, kPayload);
    std::string plain;
    f.cipher->decrypt(*recipient, kPayload, plain);
    EXPECT_EQ(plain, "hello, enclave");
}

TEST(CompactCipher, RoundTripsWithFreshKeys) {
    Fixture f;
    const auto recipient = f.cipher->generate();
    std::string first, second, plain;
    f.cipher->encrypt(recipient->public_hex(), "{\"role\":\"user\"} ✓", first);
    f.cipher->encrypt(recipient->public_hex(), "{\"role\":\"user\"} ✓", second);
    EXPECT_NE(first, second);  // fresh ephemeral key and nonce every time
    f.cipher->decrypt(*recipient, first, plain);
    EXPECT_EQ(plain, "{\"role\":\"user\"} ✓");
}

TEST(CompactCipher, NormalizesEveryPublicKeyForm) {
    Fixture f;
    const std::string full = f.key_from(0x01)->public_hex();
    ASSERT_EQ(full.size(), 130u);
    EXPECT_EQ(f.cipher->normalize_public_key("0x" + full), full);
    EXPECT_EQ(f.cipher->normalize_public_key(full.substr(2)), full);
    const bool y_is_odd = std::stoi(full.substr(129, 1), nullptr, 16) % 2 == 1;
    EXPECT_EQ(f.cipher->normalize_public_key((y_is_odd ? "03" : "02") + full.substr(2, 64)), full);
    EXPECT_EQ(failure_code([&] { f.cipher->normalize_public_key("04" + std::string(128, '0')); }),
              "e2ee_invalid_public_key");
    EXPECT_EQ(failure_code([&] { f.cipher->normalize_public_key("abc"); }), "e2ee_invalid_public_key");
}

TEST(CompactCipher, RejectsBadPayloadsWithTheirCodes) {
    Fixture f;
    const auto recipient = f.key_from(0x01);
    const auto other = f.key_from(0x40);
    std::string out;
    EXPECT_EQ(failure_code([&] { f.cipher->decrypt(*other, kPayload, out); }), "e2ee_tag_mismatch");
    std::string tampered = kPayload;
    tampered.back() = tampered.back() == '0' ? '1' : '0';
    EXPECT_EQ(failure_code([&] { f.cipher->decrypt(*recipient, tampered, out); }), "e2ee_tag_mismatch");
    EXPECT_EQ(failure_code([&] { f.cipher->decrypt(*recipient, "", out); }), "e2ee_empty_payload");
    EXPECT_EQ(failure_code([&] { f.cipher->decrypt(*recipient, "abc", out); }), "e2ee_not_hex");
    EXPECT_EQ(failure_code([&] { f.cipher->decrypt(*recipient, "04ab", out); }), "e2ee_too_short");
    EXPECT_EQ(failure_code([&] { f.cipher->decrypt(*recipient, "05" + std::string(kPayload).substr(2), out); }),
              "e2ee_bad_point_prefix");
    EXPECT_TRUE(out.empty());
}

TEST(CompactCipher, RefusesBadKeysAndConfig) {
    Fixture f;
    const uint8_t zero[32] = {};
    EXPECT_EQ(failure_code([&] { f.cipher->import(zero, sizeof zero); }), "e2ee_invalid_private_key");
    EXPECT_EQ(failure_code([&] { f.cipher->import(zero, 31); }), "e2ee_invalid_private_key");
    EXPECT_THROW(vep::client::CipherClient::create(f.host.load(&vep_plugin_entry), R"({"curve":"p256"})", nullptr),
                 vep::Failure);
}
