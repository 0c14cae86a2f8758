// Unit tests of the packed payload splitter (layout and the order of its checks).
#include <gtest/gtest.h>

#include "vep/sdk.hpp"
#include "vep_e2ee/packed_payload.hpp"

namespace vep::e2ee {
namespace {

std::string code_of(std::string_view hex) {
    try {
        parse_packed_payload(hex);
    } catch (const Failure &f) {
        return f.code();
    }
    return "";
}

TEST(PackedPayload, SplitsTheLayout) {
    const std::string hex = "04" + std::string(128, 'a') + std::string(24, 'B') + "0102" + std::string(32, 'c');
    const PackedPayload p = parse_packed_payload(hex);
    EXPECT_EQ(p.ephemeral_public[0], 0x04);
    EXPECT_EQ(p.ephemeral_public[64], 0xaa);
    EXPECT_EQ(p.nonce[0], 0xbb);
    EXPECT_EQ(p.nonce[11], 0xbb);
    EXPECT_EQ(p.ciphertext_hex, "0102");
    EXPECT_EQ(p.tag[15], 0xcc);
}

TEST(PackedPayload, EmptyCiphertextIsMinimal) {
    const std::string hex = "04" + std::string(184, '0');
    EXPECT_EQ(hex.size(), kMinPayloadHex);
    EXPECT_TRUE(parse_packed_payload(hex).ciphertext_hex.empty());
}

TEST(PackedPayload, ChecksInSpecOrder) {
    EXPECT_EQ(code_of(""), "e2ee_empty_payload");
    EXPECT_EQ(code_of("g"), "e2ee_odd_length");
    EXPECT_EQ(code_of("gg"), "e2ee_too_short");
    EXPECT_EQ(code_of(std::string(186, 'g')), "e2ee_not_hex");
    EXPECT_EQ(code_of("05" + std::string(184, '0')), "e2ee_bad_point_prefix");
}

}  // namespace
}  // namespace vep::e2ee
