// Hex/text helpers: round trips, both cases, rejection of odd length and non-hex characters.
#include <gtest/gtest.h>

#include "vep/attestation/hex.hpp"

using namespace vep::attestation;

TEST(Hex, EncodesLowercase) {
    const uint8_t bytes[] = {0x00, 0xab, 0xCD, 0xff};
    EXPECT_EQ(hex_encode(bytes, sizeof bytes), "00abcdff");
    EXPECT_EQ(hex_encode(std::vector<uint8_t>{}), "");
}

TEST(Hex, DecodesEitherCase) {
    const auto v = hex_decode("00AbcDfF");
    ASSERT_TRUE(v);
    EXPECT_EQ(*v, (std::vector<uint8_t>{0x00, 0xab, 0xcd, 0xff}));
    EXPECT_TRUE(hex_decode("")->empty());
}

TEST(Hex, RejectsOddLengthAndNonHex) {
    EXPECT_FALSE(hex_decode("abc"));
    EXPECT_FALSE(hex_decode("zz"));
    EXPECT_FALSE(hex_decode("0x00"));
    EXPECT_FALSE(hex_decode(" 00"));
    EXPECT_FALSE(is_hex(""));
    EXPECT_FALSE(is_hex("a"));
    EXPECT_FALSE(is_hex("g0"));
    EXPECT_TRUE(is_hex("A0"));
}

TEST(Hex, TrimStripAndLower) {
    EXPECT_EQ(trim(" \t\r\nab \n"), "ab");
    EXPECT_EQ(trim("   "), "");
    EXPECT_EQ(strip_0x("0xab"), "ab");
    EXPECT_EQ(strip_0x("0Xab"), "ab");
    EXPECT_EQ(strip_0x("ab"), "ab");
    EXPECT_EQ(strip_0x("0x"), "");
    EXPECT_EQ(to_lower("0xABcd"), "0xabcd");
}
