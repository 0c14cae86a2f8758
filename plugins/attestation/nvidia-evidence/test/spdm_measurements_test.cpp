// SPDM transcript parsing on real NEAR AI GPU evidence, and rejection of every truncation.
#include <gtest/gtest.h>

#include "nvidia_fixture.hpp"
#include "spdm_measurements.hpp"
#include "vep/hex.hpp"
#include "vep/sdk.hpp"

using vep::nvidia::parse_spdm_measurements;

TEST(SpdmMeasurements, RealHopperEvidence) {
    const auto ev = nvidia_test::evidence_of(nvidia_test::near_payload(), 0);
    ASSERT_EQ(ev.size(), 4266u);
    const auto m = parse_spdm_measurements(ev);
    EXPECT_EQ(vep::hex::encode(m.requester_nonce.data(), 32), nvidia_test::kNearNonce);
    EXPECT_EQ(m.signed_length, 4266u - 96u);
    EXPECT_EQ(m.measurement_blocks, 64u);
    EXPECT_EQ(m.driver_version, "570.172.08");
    ASSERT_TRUE(m.fwid);
    EXPECT_EQ(m.fwid->size(), 48u);
}

TEST(SpdmMeasurements, EveryTruncationAndExtensionIsRejected) {
    const auto ev = nvidia_test::evidence_of(nvidia_test::near_payload(), 0);
    for (size_t len = 0; len < ev.size(); ++len) {
        const std::vector<uint8_t> cut(ev.begin(), ev.begin() + static_cast<std::ptrdiff_t>(len));
        EXPECT_THROW(parse_spdm_measurements(cut), vep::Failure) << len;
    }
    auto longer = ev;
    longer.push_back(0);
    EXPECT_THROW(parse_spdm_measurements(longer), vep::Failure);
}

TEST(SpdmMeasurements, HeaderFieldsAreChecked) {
    const auto ev = nvidia_test::evidence_of(nvidia_test::near_payload(), 0);
    for (size_t offset : {std::size_t{0}, std::size_t{1}, std::size_t{37}, std::size_t{38}}) {
        auto bad = ev;
        bad[offset] ^= 0x40;
        EXPECT_THROW(parse_spdm_measurements(bad), vep::Failure) << offset;
    }
    auto unsigned_request = ev;
    unsigned_request[2] = 0;
    EXPECT_THROW(parse_spdm_measurements(unsigned_request), vep::Failure);
}
