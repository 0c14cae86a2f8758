// Base64: RFC 4648 vectors, whitespace, optional padding, and every rejection path.
#include <gtest/gtest.h>

#include <string>

#include "vep/attestation/base64.hpp"

using vep::attestation::base64_decode;

namespace {
std::string text(const std::optional<std::vector<uint8_t>> &v) { return v ? std::string(v->begin(), v->end()) : "<none>"; }
}  // namespace

TEST(Base64, Rfc4648Vectors) {
    EXPECT_EQ(text(base64_decode("")), "");
    EXPECT_EQ(text(base64_decode("Zg==")), "f");
    EXPECT_EQ(text(base64_decode("Zm8=")), "fo");
    EXPECT_EQ(text(base64_decode("Zm9v")), "foo");
    EXPECT_EQ(text(base64_decode("Zm9vYg==")), "foob");
    EXPECT_EQ(text(base64_decode("Zm9vYmE=")), "fooba");
    EXPECT_EQ(text(base64_decode("Zm9vYmFy")), "foobar");
}

TEST(Base64, WhitespaceAndMissingPadding) {
    EXPECT_EQ(text(base64_decode("Zm9v\nYmFy\r\n")), "foobar");
    EXPECT_EQ(text(base64_decode("Zm8")), "fo");
    const auto binary = base64_decode("/+8=");
    ASSERT_TRUE(binary);
    EXPECT_EQ(*binary, (std::vector<uint8_t>{0xff, 0xef}));
}

TEST(Base64, Rejections) {
    EXPECT_FALSE(base64_decode("Zm9v!"));
    EXPECT_FALSE(base64_decode("Z"));         // impossible length
    EXPECT_FALSE(base64_decode("Zg=a"));      // data after padding
    EXPECT_FALSE(base64_decode("Zm9v="));     // padding without need
    EXPECT_FALSE(base64_decode("Zg==="));     // too much padding
    EXPECT_FALSE(base64_decode("Zh=="));      // non-canonical trailing bits
    EXPECT_FALSE(base64_decode("Zm9-"));      // base64url alphabet is not accepted
}
