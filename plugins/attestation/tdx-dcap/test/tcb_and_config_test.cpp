// Plugin configuration: defaults, validation, and the pinned-root list.
#include <gtest/gtest.h>

#include "test_support.hpp"

using namespace tdx_test;
using vep::json::Value;

namespace {

TEST(Config, AcceptsTheHostKnobsAndItsOwnKeys) {
    Value c = Value::object();
    c.set("require_tdx", true);
    c.set("require_nvidia", "when_present");
    c.set("allow_debug", false);
    c.set("pccs_url", "https://pccs.example");
    c.set("accepted_tcb_status", Value(vep::json::Array{Value("UpToDate"), Value("SWHardeningNeeded")}));
    c.set("verification_time", 1751000000);
    c.set("compose_hash_check", "required");
    c.set("event_log_replay", "never");
    EXPECT_TRUE(loads(c));
}

TEST(Config, RejectsUnknownKeysAndBadValues) {
    auto with = [](const char *key, Value v) {
        Value c = Value::object();
        c.set(key, std::move(v));
        return c;
    };
    EXPECT_FALSE(loads(with("root_ca_sha265", "44a0")));
    EXPECT_FALSE(loads(with("root_ca_sha256", "not-hex")));
    EXPECT_FALSE(loads(with("root_ca_sha256", Value::array())));
    EXPECT_FALSE(loads(with("collateral_file", "/nonexistent/collateral.json")));
    EXPECT_FALSE(loads(with("verification_time", "soon")));
    EXPECT_FALSE(loads(with("mrtd_allowlist", Value(vep::json::Array{Value("abcd")}))));
    EXPECT_FALSE(loads(with("event_log_replay", "sometimes")));
    EXPECT_FALSE(loads(with("allow_debug", "yes")));
}

TEST(Config, PinsAcceptColonSeparatedFingerprintsAndSeveralRoots) {
    std::string colons;
    const std::string fp = vep::sim::tdx::test_root_ca_sha256_hex();
    for (size_t i = 0; i < fp.size(); i += 2) {
        if (i) colons += ':';
        colons += fp.substr(i, 2);
    }
    Value c = Value::object();
    c.set("root_ca_sha256",
          Value(vep::json::Array{Value("44a0196b2b99f889b8e149e95b807a350e7424964399e885a7cbb8ccfab674d3"), Value(colons)}));
    const auto out = Plugin(c).verify(flat_evidence(vep::sim::tdx::forge_quote(bound_spec())), kNonce);
    EXPECT_TRUE(out.ok) << out.message;
}

TEST(Config, TestRootFingerprintMatchesTheCommittedReadme) {
    EXPECT_NE(read_text(data_path("tdx-test-pki/README.md")).find(vep::sim::tdx::test_root_ca_sha256_hex()),
              std::string::npos);
    EXPECT_EQ(vep::sim::tdx::test_root_ca_pem(), read_text(data_path("tdx-test-pki/root-ca.pem")));
}

}  // namespace
