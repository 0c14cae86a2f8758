// Public-key normalisation (all accepted spellings, every rejection) and Ethereum addresses,
// including an independently computed vector (private key 32 x 0x07).
#include <secp256k1.h>

#include <gtest/gtest.h>

#include <array>
#include <cctype>
#include <fstream>
#include <iterator>

#include "vep/attestation/secp256k1_public_key.hpp"
#include "vep/hex.hpp"
#include "vep/json.hpp"
#include "vep/sdk.hpp"
#include "vep/text.hpp"

using namespace vep::attestation;

namespace {

constexpr const char *kPub07 =
    "04989c0b76cb563971fdc9bef31ec06c3560f3249d6ee9e5d83c57625596e05f6f631f4d05b3ae518776ee08755a7703e64b2ebc32547504"
    "de0b55a142d4ecdf80";

std::string upper(std::string s) {
    for (char &c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return s;
}

std::string invalid_key_code(const std::string &key) {
    try {
        normalize_secp256k1_public_key(key);
    } catch (const vep::Failure &f) {
        return f.code();
    }
    return "accepted";
}

}  // namespace

TEST(Secp256k1PublicKey, PrivateKeySevensGivesDocumentedPublicKeyAndAddress) {
    secp256k1_context *ctx = secp256k1_context_create(SECP256K1_CONTEXT_NONE);
    ASSERT_NE(ctx, nullptr);
    std::array<uint8_t, 32> priv;
    priv.fill(0x07);
    secp256k1_pubkey pub;
    ASSERT_EQ(secp256k1_ec_pubkey_create(ctx, &pub, priv.data()), 1);
    uint8_t out[65];
    size_t len = sizeof out;
    ASSERT_EQ(secp256k1_ec_pubkey_serialize(ctx, out, &len, &pub, SECP256K1_EC_UNCOMPRESSED), 1);
    secp256k1_context_destroy(ctx);
    EXPECT_EQ(vep::hex::encode(out, len), kPub07);
    EXPECT_EQ(ethereum_address(kPub07), "0x4a62316623ad457f02cdc5d997ded67a383ec569");
}

TEST(Secp256k1PublicKey, NearAiModelKeyGivesQuotedAddress) {
    // tests/data/attestation/README.md: Keccak-256 of the model's 64-byte signing_public_key, last
    // 20 bytes = 56d070df...c7c12b8b, which is also the model's published signing_address.
    std::ifstream in(std::string(VEP_SOURCE_DIR) + "/tests/data/attestation/nearai_cloud_report_gpt_oss_120b.json",
                     std::ios::binary);
    ASSERT_TRUE(in);
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const vep::json::Value report = vep::json::parse(text);
    const vep::json::Value &model = report.find("model_attestations")->as_array().at(0);
    const std::string key = normalize_secp256k1_public_key(model.find("signing_public_key")->as_string());
    EXPECT_EQ(ethereum_address(key), "0x56d070df1c6be444b007839ef9cf67cec7c12b8b");
    EXPECT_EQ(ethereum_address(key), vep::to_lower_ascii(model.find("signing_address")->as_string()));
}

TEST(Secp256k1PublicKey, AcceptsEverySpelling) {
    const std::string full = kPub07;
    const std::string xy = full.substr(2);
    const std::string x = full.substr(2, 64);
    // Y ends in 0x80 -> even -> compressed prefix 02.
    const std::string compressed = "02" + x;
    for (const std::string &k : {full, xy, "0x" + full, "0x" + xy, "  " + full + "\n", "04" + upper(xy),
                                 compressed, "0x" + compressed})
        EXPECT_EQ(normalize_secp256k1_public_key(k), full) << k;
}

TEST(Secp256k1PublicKey, CompressedOddPrefixGivesTheOtherPoint) {
    const std::string x = std::string(kPub07).substr(2, 64);
    const std::string other = normalize_secp256k1_public_key("03" + x);
    EXPECT_NE(other, kPub07);
    EXPECT_EQ(other.substr(0, 66), std::string(kPub07).substr(0, 66));
}

TEST(Secp256k1PublicKey, RejectsBadKeys) {
    const std::string full = kPub07;
    EXPECT_EQ(invalid_key_code(""), "attestation_invalid_signing_key");
    EXPECT_EQ(invalid_key_code("   "), "attestation_invalid_signing_key");
    EXPECT_EQ(invalid_key_code("0x"), "attestation_invalid_signing_key");
    EXPECT_EQ(invalid_key_code(full.substr(0, 129)), "attestation_invalid_signing_key");  // odd length
    EXPECT_EQ(invalid_key_code("zz" + full.substr(2)), "attestation_invalid_signing_key");  // non-hex
    EXPECT_EQ(invalid_key_code(full.substr(0, 128)), "attestation_invalid_signing_key");  // 04||X||Y minus one byte
    EXPECT_EQ(invalid_key_code("05" + full.substr(2)), "attestation_invalid_signing_key");  // bad prefix
    EXPECT_EQ(invalid_key_code("06" + full.substr(2)), "attestation_invalid_signing_key");  // hybrid form refused
    EXPECT_EQ(invalid_key_code("04" + std::string(128, '0')), "attestation_invalid_signing_key");  // off curve
    std::string off_curve = full;
    off_curve[129] = off_curve[129] == '0' ? '1' : '0';
    EXPECT_EQ(invalid_key_code(off_curve), "attestation_invalid_signing_key");
    EXPECT_EQ(invalid_key_code("04" + full.substr(2, 64)), "attestation_invalid_signing_key");  // 33 bytes with 04
    EXPECT_EQ(invalid_key_code(std::string(66, 'f')), "attestation_invalid_signing_key");
}

TEST(Secp256k1PublicKey, AddressNeedsUncompressedHex) {
    EXPECT_THROW(ethereum_address(std::string(kPub07).substr(2)), vep::Failure);
    EXPECT_THROW(ethereum_address("05" + std::string(kPub07).substr(2)), vep::Failure);
    EXPECT_THROW(ethereum_address(std::string(130, 'z')), vep::Failure);
}
