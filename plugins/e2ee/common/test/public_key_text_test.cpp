// Unit tests of the public-key text rules (lengths, prefixes, 0x, case).
#include <gtest/gtest.h>

#include "vep/sdk.hpp"
#include "vep_e2ee/public_key_text.hpp"

namespace vep::e2ee {
namespace {

bool rejected(std::string_view text) {
    try {
        parse_public_key_text(text);
    } catch (const Failure &f) {
        return f.code() == "e2ee_invalid_public_key";
    }
    return false;
}

TEST(PublicKeyText, AcceptsTheThreeLengths) {
    const std::string x(64, '1'), y(64, '2');
    Sec1Key full = parse_public_key_text("04" + x + y);
    EXPECT_EQ(full.size, 65u);
    Sec1Key bare = parse_public_key_text("0X" + x + y);
    EXPECT_EQ(bare.size, 65u);
    EXPECT_EQ(bare.bytes, full.bytes);
    Sec1Key compressed = parse_public_key_text("03" + x);
    EXPECT_EQ(compressed.size, 33u);
    EXPECT_EQ(compressed.bytes[0], 0x03);
}

TEST(PublicKeyText, RejectsOtherShapes) {
    const std::string x(64, '1'), y(64, '2');
    EXPECT_TRUE(rejected(""));
    EXPECT_TRUE(rejected("0x"));
    EXPECT_TRUE(rejected("06" + x + y));
    EXPECT_TRUE(rejected("04" + x));
    EXPECT_TRUE(rejected("05" + x));
    EXPECT_TRUE(rejected("04" + x + y + "00"));
    EXPECT_TRUE(rejected("04" + x + y.substr(1) + "g"));
}

}  // namespace
}  // namespace vep::e2ee
