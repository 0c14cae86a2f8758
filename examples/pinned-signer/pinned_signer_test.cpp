// Unit test of pinned-signer through the SDK's fakes, as the host calls it: prior report in,
// verdict and checks out.
#include <gtest/gtest.h>

#include <vep/client.hpp>
#include <vep/testing/fake_host.hpp>

extern "C" const vep_plugin_descriptor *vep_plugin_entry(const vep_host_api *, char *, size_t);

namespace {

constexpr const char *kPinned = "0x00112233445566778899AABBCCDDEEFF00112233";

vep::client::AttestationOutcome verify_with(const vep::client::AttestationClient &verifier, const char *prior_json) {
    return verifier.verify("{}", "00", "e2ee-model", vep::json::parse(prior_json), 1700000000);
}

vep::client::AttestationClient pinned(const vep::testing::FakeHost &host) {
    return vep::client::AttestationClient(
        host.load(&vep_plugin_entry),
        std::string(R"({"signing_addresses":[")") + kPinned + R"("],"require_tdx":false,"allow_debug":false})", nullptr);
}

}  // namespace

TEST(PinnedSigner, AcceptsAPinnedAddressInAnyCase) {
    vep::testing::FakeHost host;
    const auto verifier = pinned(host);
    const auto outcome = verify_with(verifier, R"({"signing_address":"0x00112233445566778899aabbccddeeff00112233"})");
    ASSERT_TRUE(outcome.ok) << outcome.code << ": " << outcome.message;
    const auto &checks = outcome.report.find("checks")->as_array();
    ASSERT_EQ(checks.size(), 1u);
    EXPECT_TRUE(checks[0].find("ok")->as_bool());
    EXPECT_EQ(checks[0].find("verifier")->as_string(), "pinned-signer");
}

TEST(PinnedSigner, RejectsAnotherAddress) {
    vep::testing::FakeHost host;
    const auto verifier = pinned(host);
    const auto outcome = verify_with(verifier, R"({"signing_address":"0x00112233445566778899aabbccddeeff00112234"})");
    EXPECT_FALSE(outcome.ok);
    EXPECT_EQ(outcome.code, "attestation_signer_not_pinned");
    EXPECT_FALSE(outcome.report.find("checks")->as_array().at(0).find("ok")->as_bool());
}

TEST(PinnedSigner, RejectsWhenNoEarlierVerifierEstablishedTheAddress) {
    vep::testing::FakeHost host;
    const auto verifier = pinned(host);
    const auto outcome = verify_with(verifier, R"({"checks":[]})");
    EXPECT_FALSE(outcome.ok);
    EXPECT_EQ(outcome.code, "attestation_signer_unknown");
}

TEST(PinnedSigner, RefusesBadConfig) {
    vep::testing::FakeHost host;
    const auto *d = host.load(&vep_plugin_entry);
    EXPECT_THROW(vep::client::AttestationClient(d, "{}", nullptr), vep::Failure);
    EXPECT_THROW(vep::client::AttestationClient(d, R"({"signing_addresses":["0x12"]})", nullptr), vep::Failure);
    EXPECT_THROW(vep::client::AttestationClient(d, R"({"signing_addresses":[],"x":1})", nullptr), vep::Failure);
}

TEST(PinnedSigner, RefusesAHostOfAnotherAbiMajor) {
    vep::testing::FakeHost host;
    host.set_abi(VEP_ABI_MAJOR + 1, 0);
    EXPECT_THROW(host.load(&vep_plugin_entry), std::runtime_error);
}
