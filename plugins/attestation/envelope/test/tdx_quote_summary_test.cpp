// TDX quote summary on the real dcap-qvl quotes (v4 and v5) and on synthetic edge cases.
#include <gtest/gtest.h>

#include "envelope_fixture.hpp"
#include "tdx_quote_summary.hpp"
#include "vep/hex.hpp"
#include "vep/sdk.hpp"

using vep::envelope::read_tdx_quote_summary;

namespace {
std::vector<uint8_t> bytes_of(const std::string &s) { return std::vector<uint8_t>(s.begin(), s.end()); }
}  // namespace

TEST(TdxQuoteSummary, RealV4Quote) {
    const auto q = bytes_of(envelope_test::read_file("tests/data/attestation/dcap-qvl_tdx_quote_v4.bin"));
    const auto s = read_tdx_quote_summary(q);
    EXPECT_EQ(s.version, 4);
    EXPECT_EQ(s.tee_type, 0x81u);
    EXPECT_EQ(s.td_attributes, 0x10000000ULL);  // bytes 00 00 00 10 00 00 00 00: SEPT_VE_DISABLE
    EXPECT_FALSE(s.debug);
    EXPECT_EQ(vep::hex::encode(s.report_data.data(), 64),
              "9a9d48e7f6799642d3d1b34e1e5e1742d4bb02dd6ddd551862c1211d35c304f9eca3efdbb481601c163cf52493d6e44aed55d51ec39b"
              "7e518fadb92c2b523f20");
}

TEST(TdxQuoteSummary, RealV5QuoteReportDataAtOffset574) {
    const auto q = bytes_of(envelope_test::read_file("tests/data/attestation/dcap-qvl_tdx_quote_v5_outdated.bin"));
    const auto s = read_tdx_quote_summary(q);
    EXPECT_EQ(s.version, 5);
    EXPECT_EQ(vep::hex::encode(s.report_data.data(), 64),
              "d2142b643598eb5fae2bc8529dd79a558b29f868ccbb6531cb28dab9dce47728" + std::string(64, '0'));
    EXPECT_FALSE(s.debug);
}

TEST(TdxQuoteSummary, DebugBitAndRejections) {
    std::array<uint8_t, 64> rd{};
    EXPECT_TRUE(read_tdx_quote_summary(envelope_test::make_quote(rd, true)).debug);
    auto q = envelope_test::make_quote(rd);
    q.resize(631);
    EXPECT_THROW(read_tdx_quote_summary(q), vep::Failure);
    auto v5 = envelope_test::make_quote(rd, false, 5);
    v5[48] = 9;  // unknown body type
    EXPECT_THROW(read_tdx_quote_summary(v5), vep::Failure);
    v5 = envelope_test::make_quote(rd, false, 5);
    v5.resize(680);  // >= 632 but ends inside the TD 1.5 body
    EXPECT_THROW(read_tdx_quote_summary(v5), vep::Failure);
}
