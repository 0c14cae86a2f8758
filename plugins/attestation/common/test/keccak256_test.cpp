// Keccak-256 known-answer vectors, plus a cross-check of the sponge against OpenSSL's SHA3-256
// (same permutation, different padding) over lengths that straddle the 136-byte rate.
#include <openssl/evp.h>

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "../src/keccak_sponge.hpp"
#include "vep/attestation/keccak256.hpp"
#include "vep/hex.hpp"

using vep::attestation::keccak256;

namespace {

std::string keccak_hex(const std::string &text) {
    const auto d = keccak256(reinterpret_cast<const uint8_t *>(text.data()), text.size());
    return vep::hex::encode(d.data(), d.size());
}

}  // namespace

TEST(Keccak256, EmptyInput) {
    EXPECT_EQ(keccak_hex(""), "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470");
}

TEST(Keccak256, ShortInputs) {
    EXPECT_EQ(keccak_hex("abc"), "4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45");
    EXPECT_EQ(keccak_hex("The quick brown fox jumps over the lazy dog"),
              "4d741b6f1eb29cb2a9b9911c82f56fa8d73b04959d3d9d222895df6c0b28aa15");
}

TEST(Keccak256, DiffersFromSha3) {
    // SHA3-256("") is a7ffc6f8...; Keccak-256 must not be confused with it.
    EXPECT_NE(keccak_hex(""), "a7ffc6f8bf1ed76651c14756a061d662f580ff4de43b49fa82d80a4b80f8434a");
}

TEST(Keccak256, SpongeMatchesOpenSslSha3AcrossBlockBoundaries) {
    std::vector<uint8_t> data(600);
    for (size_t i = 0; i < data.size(); ++i) data[i] = static_cast<uint8_t>(i * 131 + 7);
    for (size_t len : {0u, 1u, 71u, 134u, 135u, 136u, 137u, 271u, 272u, 273u, 408u, 599u}) {
        uint8_t expected[32];
        unsigned int out_len = 0;
        ASSERT_EQ(EVP_Digest(data.data(), len, expected, &out_len, EVP_sha3_256(), nullptr), 1);
        ASSERT_EQ(out_len, 32u);
        const auto got = vep::attestation::keccak_sponge_256(data.data(), len, 0x06);
        EXPECT_EQ(vep::hex::encode(got.data(), got.size()), vep::hex::encode(expected, 32)) << "length " << len;
    }
}
