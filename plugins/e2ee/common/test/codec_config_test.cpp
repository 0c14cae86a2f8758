// Unit tests of the cipher plugin config parser.
#include <gtest/gtest.h>

#include "vep/sdk.hpp"
#include "vep_e2ee/codec_config.hpp"

namespace vep::e2ee {
namespace {

TEST(CodecConfig, DefaultsToTheReferenceInfo) {
    EXPECT_EQ(parse_codec_config(json::Value::object()).hkdf_info, "ecdsa_encryption");
}

TEST(CodecConfig, KeepsInfoVerbatim) {
    EXPECT_EQ(parse_codec_config(json::parse(R"({"hkdf_info":" spaced info "})")).hkdf_info, " spaced info ");
}

TEST(CodecConfig, RejectsUnknownKeysAndBadInfo) {
    for (const char *text : {R"({"hkdf":"x"})", R"({"hkdf_info":""})", R"({"hkdf_info":"\n"})",
                             R"({"hkdf_info":null})", R"([1])"}) {
        try {
            parse_codec_config(json::parse(text));
            ADD_FAILURE() << "accepted " << text;
        } catch (const Failure &f) {
            EXPECT_EQ(f.code(), "invalid_config") << text;
        }
    }
}

}  // namespace
}  // namespace vep::e2ee
