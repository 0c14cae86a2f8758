// Unit tests of the hex helpers of vep_e2ee_common.
#include <gtest/gtest.h>

#include <array>

#include "vep_e2ee/hex.hpp"

namespace vep::e2ee {
namespace {

TEST(Hex, EncodesLowercase) {
    const std::array<uint8_t, 4> bytes = {0x00, 0xab, 0x7f, 0xff};
    std::string out = "x";
    append_hex(out, bytes.data(), bytes.size());
    EXPECT_EQ(out, "x00ab7fff");
}

TEST(Hex, DecodesEitherCase) {
    std::array<uint8_t, 3> out{};
    ASSERT_TRUE(decode_hex("aBcD0f", out.data()));
    EXPECT_EQ(out, (std::array<uint8_t, 3>{0xab, 0xcd, 0x0f}));
}

TEST(Hex, RejectsNonHex) {
    std::array<uint8_t, 2> out{};
    EXPECT_FALSE(decode_hex("0g00", out.data()));
    EXPECT_FALSE(is_hex("12 4"));
    EXPECT_FALSE(is_hex(std::string("12\0" "4", 4)));
    EXPECT_TRUE(is_hex("0123456789abcdefABCDEF"));
    EXPECT_EQ(hex_digit_value('F'), 15);
    EXPECT_EQ(hex_digit_value('G'), -1);
}

}  // namespace
}  // namespace vep::e2ee
