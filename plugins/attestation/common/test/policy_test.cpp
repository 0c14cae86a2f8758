// Shared policy knobs: defaults, every value, type errors, unknown keys.
#include <gtest/gtest.h>

#include "vep/attestation/policy.hpp"
#include "vep/sdk.hpp"

using namespace vep::attestation;

namespace {
std::string code_of(const std::string &config_json) {
    try {
        parse_attestation_policy(vep::json::parse(config_json));
    } catch (const vep::Failure &f) {
        return f.code();
    }
    return "accepted";
}
}  // namespace

TEST(AttestationPolicy, DefaultsAreTheReferences) {
    const AttestationPolicy p = parse_attestation_policy(vep::json::Value::object());
    EXPECT_FALSE(p.require_tdx);
    EXPECT_FALSE(p.allow_debug);
    EXPECT_EQ(p.require_nvidia, NvidiaRequirement::Never);
    EXPECT_EQ(p.pccs_url, "");
}

TEST(AttestationPolicy, ReadsEveryKnob) {
    const AttestationPolicy p = parse_attestation_policy(vep::json::parse(
        R"({"require_tdx":true,"allow_debug":true,"require_nvidia":"when_present","pccs_url":"https://pccs.local"})"));
    EXPECT_TRUE(p.require_tdx);
    EXPECT_TRUE(p.allow_debug);
    EXPECT_EQ(p.require_nvidia, NvidiaRequirement::WhenPresent);
    EXPECT_EQ(p.pccs_url, "https://pccs.local");
    EXPECT_EQ(parse_attestation_policy(vep::json::parse(R"({"require_nvidia":"required"})")).require_nvidia,
              NvidiaRequirement::Required);
    EXPECT_EQ(to_string(NvidiaRequirement::WhenPresent), "when_present");
}

TEST(AttestationPolicy, RejectsWrongTypes) {
    EXPECT_EQ(code_of(R"({"require_tdx":"yes"})"), "invalid_config");
    EXPECT_EQ(code_of(R"({"allow_debug":1})"), "invalid_config");
    EXPECT_EQ(code_of(R"({"require_nvidia":"always"})"), "invalid_config");
    EXPECT_EQ(code_of(R"({"require_nvidia":true})"), "invalid_config");
    EXPECT_EQ(code_of(R"({"pccs_url":5})"), "invalid_config");
}

TEST(AttestationPolicy, UnknownKeys) {
    const auto config = vep::json::parse(R"({"require_tdx":true,"root_ca_sha256":[]})");
    EXPECT_NO_THROW(reject_unknown_config_keys(config, {"root_ca_sha256"}));
    EXPECT_THROW(reject_unknown_config_keys(config, {}), vep::Failure);
}
