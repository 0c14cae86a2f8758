// The SDK's shared text helpers as plugins and the host rely on them: vep/hex.hpp (lowercase
// encoding, strict decoding of either case, the two digit checks) and vep/text.hpp (attribute
// escaping, ASCII trim and lower-case, globs), plus the tool-history text forms of vep/sdk.hpp.
#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "vep/hex.hpp"
#include "vep/sdk.hpp"
#include "vep/text.hpp"

namespace {

TEST(Hex, EncodesLowercase) {
    const uint8_t bytes[] = {0x00, 0xab, 0xCD, 0x7f, 0xff};
    EXPECT_EQ(vep::hex::encode(bytes, sizeof bytes), "00abcd7fff");
    EXPECT_EQ(vep::hex::encode(std::vector<uint8_t>{}), "");
    EXPECT_EQ(vep::hex::encode(std::string_view("\x01\xfe", 2)), "01fe");
    std::string out = "x";
    vep::hex::append(out, bytes, 2);
    EXPECT_EQ(out, "x00ab");
}

TEST(Hex, DecodesEitherCase) {
    const auto v = vep::hex::decode("00AbcDfF");
    ASSERT_TRUE(v);
    EXPECT_EQ(*v, (std::vector<uint8_t>{0x00, 0xab, 0xcd, 0xff}));
    EXPECT_TRUE(vep::hex::decode("")->empty());
    std::array<uint8_t, 3> out{};
    ASSERT_TRUE(vep::hex::decode_into("aBcD0f", out.data()));
    EXPECT_EQ(out, (std::array<uint8_t, 3>{0xab, 0xcd, 0x0f}));
}

TEST(Hex, RejectsOddLengthAndNonHex) {
    EXPECT_FALSE(vep::hex::decode("abc"));
    EXPECT_FALSE(vep::hex::decode("zz"));
    EXPECT_FALSE(vep::hex::decode("0x00"));
    EXPECT_FALSE(vep::hex::decode(" 00"));
    std::array<uint8_t, 2> out{};
    EXPECT_FALSE(vep::hex::decode_into("0g00", out.data()));
}

TEST(Hex, IsHexNeedsWholeBytesAllDigitsOnlyDigits) {
    EXPECT_FALSE(vep::hex::is_hex(""));
    EXPECT_FALSE(vep::hex::is_hex("a"));
    EXPECT_FALSE(vep::hex::is_hex("g0"));
    EXPECT_TRUE(vep::hex::is_hex("A0"));
    EXPECT_TRUE(vep::hex::all_digits(""));
    EXPECT_TRUE(vep::hex::all_digits("abc"));
    EXPECT_TRUE(vep::hex::all_digits("0123456789abcdefABCDEF"));
    EXPECT_FALSE(vep::hex::all_digits("12 4"));
    EXPECT_FALSE(vep::hex::all_digits(std::string("12\0" "4", 4)));
    EXPECT_EQ(vep::hex::digit_value('F'), 15);
    EXPECT_EQ(vep::hex::digit_value('G'), -1);
}

TEST(Hex, Strip0x) {
    EXPECT_EQ(vep::hex::strip_0x("0xab"), "ab");
    EXPECT_EQ(vep::hex::strip_0x("0Xab"), "ab");
    EXPECT_EQ(vep::hex::strip_0x("ab"), "ab");
    EXPECT_EQ(vep::hex::strip_0x("0x"), "");
    EXPECT_EQ(vep::hex::strip_0x("0x0xab"), "0xab");
}

TEST(Text, TrimAndLower) {
    EXPECT_EQ(vep::trim_ascii(" \t\r\n\f\vab \n"), "ab");
    EXPECT_EQ(vep::trim_ascii("   "), "");
    EXPECT_EQ(vep::to_lower_ascii("0xABcd\xC3\x84"), "0xabcd\xC3\x84");
}

TEST(Text, EscapeAttribute) {
    EXPECT_EQ(vep::escape_attribute("plain"), "plain");
    EXPECT_EQ(vep::escape_attribute("&\"<>'"), "&amp;&quot;&lt;&gt;'");
}

TEST(Text, ToolHistoryForms) {
    EXPECT_EQ(vep::previous_tool_call_text("a\"1", "f<g>", "{\"x\":1}"),
              "<previous_tool_call id=\"a&quot;1\" name=\"f&lt;g&gt;\">\n{\"x\":1}\n</previous_tool_call>");
    EXPECT_EQ(vep::tool_result_text("c&d", "<b>"),
              "<tool_result id=\"c&amp;d\">\n<b>\n</tool_result>\n\nUse the tool result above to continue the answer.");
}

TEST(Text, GlobMatchesWholeTextWithStarAndQuestionMark) {
    EXPECT_TRUE(vep::glob_match("openai/gpt-oss-*", "openai/gpt-oss-120b"));
    EXPECT_TRUE(vep::glob_match("*", ""));
    EXPECT_TRUE(vep::glob_match("a?c*", "abcdef"));
    EXPECT_TRUE(vep::glob_match("*b*b*", "abcbd"));
    EXPECT_FALSE(vep::glob_match("a?c", "ac"));
    EXPECT_FALSE(vep::glob_match("gpt", "gpt-oss"));
    EXPECT_FALSE(vep::glob_match("*-q", "e2ee-glm-5-2-p"));
    EXPECT_FALSE(vep::glob_match("OPENAI/*", "openai/gpt-oss-120b"));
    EXPECT_TRUE(vep::glob_match("OPENAI/*", "openai/gpt-oss-120b", vep::GlobCase::AsciiInsensitive));
}

}  // namespace
