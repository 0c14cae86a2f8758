// The quote parser on real v4/v5 quotes, forged quotes and malformed inputs.
#include <gtest/gtest.h>

#include "quote.hpp"
#include "test_support.hpp"
#include "vep/hex.hpp"

using vep::tdx_dcap::parse_quote;
using vep::tdx_dcap::QuoteFormatError;

namespace {

std::string hex_of(vep::tdx_dcap::ByteSpan s) { return vep::hex::encode(s.data(), s.size()); }

TEST(QuoteParser, RealV4QuoteAtV4Offsets) {
    const auto bytes = tdx_test::read_bytes(tdx_test::data_path("attestation/dcap-qvl_tdx_quote_v4.bin"));
    const auto q = parse_quote(bytes);
    EXPECT_EQ(q.version, 4);
    EXPECT_EQ(q.attestation_key_type, 2);
    EXPECT_EQ(q.tee_type, 0x81u);
    EXPECT_EQ(q.body_offset, 48u);
    EXPECT_EQ(q.signed_region.size(), 632u);
    EXPECT_EQ(q.qe_auth_data.size(), 32u);
    EXPECT_EQ(hex_of(q.tee_tcb_svn().first(3)), "060103");
    EXPECT_EQ(hex_of(q.mr_td().first(4)), "91eb2b44");
    EXPECT_EQ(hex_of(q.report_data()),
              "9a9d48e7f6799642d3d1b34e1e5e1742d4bb02dd6ddd551862c1211d35c304f9"
              "eca3efdbb481601c163cf52493d6e44aed55d51ec39b7e518fadb92c2b523f20");
    EXPECT_EQ(q.td_attributes(), 0x10000000u);
    EXPECT_EQ(q.pck_chain_pem.back(), '\n');  // the trailing NUL is stripped
    EXPECT_EQ(q.pck_chain_pem.find("-----BEGIN CERTIFICATE-----"), 0u);
}

TEST(QuoteParser, RealV5QuoteAtV5Offsets) {
    const auto bytes = tdx_test::read_bytes(tdx_test::data_path("attestation/dcap-qvl_tdx_quote_v5_outdated.bin"));
    const auto q = parse_quote(bytes);
    EXPECT_EQ(q.version, 5);
    EXPECT_EQ(q.body_type, 3);
    EXPECT_EQ(q.body_offset, 54u);
    EXPECT_EQ(q.body.size(), 648u);
    EXPECT_EQ(q.signed_region.size(), 702u);
    EXPECT_EQ(q.report_data().data() - bytes.data(), 574);
    EXPECT_EQ(hex_of(q.report_data()),
              "d2142b643598eb5fae2bc8529dd79a558b29f868ccbb6531cb28dab9dce47728"
              "0000000000000000000000000000000000000000000000000000000000000000");
    EXPECT_EQ(hex_of(q.tee_tcb_svn().first(3)), "070103");
}

TEST(QuoteParser, ForgedV4AndV5RoundTrip) {
    for (uint16_t version : {4, 5}) {
        auto spec = tdx_test::bound_spec(version);
        spec.mr_config_id.fill(0x33);
        const auto bytes = vep::sim::tdx::forge_quote(spec);
        const auto q = parse_quote(bytes);
        EXPECT_EQ(q.version, version);
        EXPECT_EQ(q.body_offset, version == 4 ? 48u : 54u);
        EXPECT_TRUE(std::equal(spec.report_data.begin(), spec.report_data.end(), q.report_data().begin()));
        EXPECT_TRUE(std::equal(spec.mr_td.begin(), spec.mr_td.end(), q.mr_td().begin()));
        EXPECT_TRUE(std::equal(spec.mr_config_id.begin(), spec.mr_config_id.end(), q.mr_config_id().begin()));
        for (size_t i = 0; i < 4; ++i)
            EXPECT_TRUE(std::equal(spec.rtmr[i].begin(), spec.rtmr[i].end(), q.rtmr(i).begin()));
    }
}

TEST(QuoteParser, ToleratesTrailingZerosButNotOtherBytes) {
    auto bytes = vep::sim::tdx::forge_quote(tdx_test::bound_spec());
    bytes.insert(bytes.end(), 70, 0);
    EXPECT_NO_THROW(parse_quote(bytes));
    bytes.back() = 1;
    EXPECT_THROW(parse_quote(bytes), QuoteFormatError);
}

TEST(QuoteParser, RejectsEveryTruncation) {
    const auto bytes = vep::sim::tdx::forge_quote(tdx_test::bound_spec());
    for (size_t len : {size_t{0}, size_t{1}, size_t{47}, size_t{48}, size_t{631}, size_t{635}, size_t{1000},
                       bytes.size() - 1}) {
        const std::vector<uint8_t> cut(bytes.begin(), bytes.begin() + static_cast<long>(len));
        EXPECT_THROW(parse_quote(cut), QuoteFormatError) << "length " << len;
    }
}

TEST(QuoteParser, RejectsWrongVersionCertTypeAndSizes) {
    const auto good = vep::sim::tdx::forge_quote(tdx_test::bound_spec());
    auto bytes = good;
    bytes[0] = 3;  // SGX quote
    EXPECT_THROW(parse_quote(bytes), QuoteFormatError);
    bytes = good;
    bytes[632 + 4 + 128] = 5;  // certification data type 5 instead of 6
    EXPECT_THROW(parse_quote(bytes), QuoteFormatError);
    bytes = good;
    bytes[632] ^= 0x01;  // signature data length off by one
    EXPECT_THROW(parse_quote(bytes), QuoteFormatError);
    auto v5 = vep::sim::tdx::forge_quote(tdx_test::bound_spec(5));
    v5[48] = 1;  // body type 1 = SGX enclave report
    EXPECT_THROW(parse_quote(v5), QuoteFormatError);
}

}  // namespace
