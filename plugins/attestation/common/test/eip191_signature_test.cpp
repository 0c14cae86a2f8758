// EIP-191 personal_sign: the web3.js documentation vector (private key 0x4c08…2318 signs "Some data",
// address 0x2c7536E3605D9C16a7a3D7b1898e529396a65c23), recovery, and mutations that must fail.
#include <gtest/gtest.h>

#include <string>

#include "vep/attestation/eip191_signature.hpp"
#include "vep/attestation/secp256k1_public_key.hpp"
#include "vep/hex.hpp"
#include "vep/sdk.hpp"

using namespace vep::attestation;

namespace {

constexpr const char *kAddress = "0x2c7536e3605d9c16a7a3d7b1898e529396a65c23";
constexpr const char *kSignature =
    "b91467e570a6466aa9e9876cbcd013baba02900b8979d43fe208a4a4f339f5fd6007e74cd82e037b800186422fc2da167c747ef045e5d18a"
    "5f5d4300f8e1a0291c";

std::array<uint8_t, 32> test_key() {
    const auto bytes = vep::hex::decode("4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318");
    std::array<uint8_t, 32> key{};
    std::copy(bytes->begin(), bytes->end(), key.begin());
    return key;
}

}  // namespace

TEST(Eip191Signature, MessageHashMatchesWeb3Vector) {
    const auto hash = eip191_message_hash("Some data");
    EXPECT_EQ(vep::hex::encode(hash.data(), hash.size()),
              "1da44b586eb0729ff70a73c326926f6ed5a25f5b056e7f47fbc6e58d86871655");
}

TEST(Eip191Signature, TestKeyHasTheDocumentedAddress) {
    EXPECT_EQ(ethereum_address(secp256k1_public_key_of(test_key())), kAddress);
}

TEST(Eip191Signature, DeterministicSignatureMatchesWeb3Vector) {
    EXPECT_EQ(sign_eip191("Some data", test_key()), kSignature);
}

TEST(Eip191Signature, RecoversTheSigner) {
    EXPECT_EQ(recover_eip191_signer("Some data", std::string("0x") + kSignature), kAddress);
    const std::string text = "0c8b3a6e5d6b0f0d1f4e2c3a9b8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d:"
                             "aa11bb22cc33dd44ee55ff6600112233445566778899aabbccddeeff00112233";
    EXPECT_EQ(recover_eip191_signer(text, sign_eip191(text, test_key())), kAddress);
}

TEST(Eip191Signature, AnotherMessageRecoversAnotherAddress) {
    EXPECT_NE(recover_eip191_signer("Some datA", kSignature), kAddress);
}

TEST(Eip191Signature, FlippedSignatureByteDoesNotRecoverTheSigner) {
    for (size_t i = 0; i < 64; i += 7) {
        std::string sig = kSignature;
        sig[i * 2] = sig[i * 2] == 'a' ? 'b' : 'a';
        std::string recovered;
        try {
            recovered = recover_eip191_signer("Some data", sig);
        } catch (const vep::Failure &) {
            continue;
        }
        EXPECT_NE(recovered, kAddress) << "byte " << i;
    }
}

TEST(Eip191Signature, MalformedSignaturesThrow) {
    EXPECT_THROW(recover_eip191_signer("Some data", "zz"), vep::Failure);
    EXPECT_THROW(recover_eip191_signer("Some data", std::string(kSignature).substr(0, 128)), vep::Failure);
    std::string bad_v = kSignature;
    bad_v.replace(128, 2, "1f");
    EXPECT_THROW(recover_eip191_signer("Some data", bad_v), vep::Failure);
}
