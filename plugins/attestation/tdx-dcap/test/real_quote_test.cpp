// Real Intel-signed quotes (dcap-qvl samples): chain to the Intel root, TCB status from collateral.
#include <gtest/gtest.h>

#include "collateral.hpp"
#include "openssl_util.hpp"
#include "pck_extension.hpp"
#include "pinned_roots.hpp"
#include "quote.hpp"
#include "tcb_evaluation.hpp"
#include "test_support.hpp"
#include "vep/hex.hpp"

using namespace tdx_test;
using vep::json::Value;

namespace {


Value config_at(int64_t time, const std::string &collateral = "") {
    Value c = Value::object();
    c.set("verification_time", time);
    if (!collateral.empty()) c.set("collateral_file", data_path(collateral));
    return c;
}

// These quotes bind their own REPORTDATA, not ours: the plugin must get through every platform
// check and stop at the binding.
void expect_platform_verified_then_binding_fails(const vep::client::AttestationOutcome &out) {
    EXPECT_FALSE(out.ok);
    EXPECT_EQ(out.code, "attestation_invalid_tdx_evidence");
    EXPECT_NE(out.message.find("report_data_binding"), std::string::npos) << out.message;
    for (const char *name : {"quote_format", "quote_header", "quote_signature", "qe_report_binding",
                             "qe_report_signature", "pck_chain", "td_debug", "tcb_status"})
        EXPECT_EQ(check_ok(out.report, name), std::optional<bool>(true)) << name;
    EXPECT_EQ(check_ok(out.report, "report_data_binding"), std::optional<bool>(false));
    EXPECT_EQ(tdx_field(out.report, "verified"), Value(false));
    EXPECT_EQ(tdx_field(out.report, "debug"), Value(false));
}

TEST(RealQuote, V4ChainVerifiesToTheIntelRootByDefault) {
    Plugin plugin(config_at(kInsideV4Window));
    const auto out = plugin.verify(flat_evidence(read_bytes(data_path(kV4))), kNonce);
    expect_platform_verified_then_binding_fails(out);
    EXPECT_EQ(tdx_field(out.report, "version"), Value(4));
    EXPECT_EQ(tdx_field(out.report, "tcb_status"), Value("not-evaluated"));
}

TEST(RealQuote, V4WithCollateralIsUpToDate) {
    Plugin plugin(config_at(kInsideV4Window, kV4Collateral));
    const auto out = plugin.verify(flat_evidence(read_bytes(data_path(kV4))), kNonce);
    expect_platform_verified_then_binding_fails(out);
    EXPECT_EQ(tdx_field(out.report, "tcb_status"), Value("UpToDate"));
}

TEST(RealQuote, V4CollateralOutsideItsWindowIsRejected) {
    Plugin plugin(config_at(1753000000, kV4Collateral));  // after nextUpdate and the CRLs
    const auto out = plugin.verify(flat_evidence(read_bytes(data_path(kV4))), kNonce);
    EXPECT_EQ(out.code, "attestation_tdx_tcb_rejected");
    EXPECT_NE(out.message.find("expired"), std::string::npos) << out.message;
}

TEST(RealQuote, V4StatusNotInTheAcceptedListIsRejected) {
    Value c = config_at(kInsideV4Window, kV4Collateral);
    Value accepted = Value::array();
    accepted.push_back("OutOfDate");
    c.set("accepted_tcb_status", accepted);
    const auto out = Plugin(c).verify(flat_evidence(read_bytes(data_path(kV4))), kNonce);
    EXPECT_EQ(out.code, "attestation_tdx_tcb_rejected");
    EXPECT_NE(out.message.find("UpToDate is not accepted"), std::string::npos) << out.message;
}

TEST(RealQuote, V4FailsWithOnlyTheTestRootPinned) {
    const auto out = Plugin(test_root_config(config_at(kInsideV4Window)))
                         .verify(flat_evidence(read_bytes(data_path(kV4))), kNonce);
    EXPECT_EQ(out.code, "attestation_invalid_tdx_evidence");
    EXPECT_EQ(check_ok(out.report, "pck_chain"), std::optional<bool>(false));
    EXPECT_NE(out.message.find("pinned root"), std::string::npos) << out.message;
}

TEST(RealQuote, V4BeforeThePckLeafIsValidFailsTheChain) {
    const auto out = Plugin(config_at(1700000000)).verify(flat_evidence(read_bytes(data_path(kV4))), kNonce);
    EXPECT_EQ(out.code, "attestation_invalid_tdx_evidence");
    EXPECT_EQ(check_ok(out.report, "pck_chain"), std::optional<bool>(false));
}

TEST(RealQuote, V5ParsesVerifiesAndIsRejectedForItsTcb) {
    Plugin plugin(config_at(kInsideV5Window, kV5Collateral));
    const auto out = plugin.verify(flat_evidence(read_bytes(data_path(kV5))), kNonce);
    EXPECT_EQ(out.code, "attestation_tdx_tcb_rejected");
    EXPECT_NE(out.message.find("TCB level not supported"), std::string::npos) << out.message;
    EXPECT_EQ(tdx_field(out.report, "version"), Value(5));
    for (const char *name : {"quote_signature", "qe_report_binding", "qe_report_signature", "pck_chain"})
        EXPECT_EQ(check_ok(out.report, name), std::optional<bool>(true)) << name;
    EXPECT_EQ(check_ok(out.report, "tcb_status"), std::optional<bool>(false));
}

// The same steps without the plugin around them, on the library functions.
TEST(RealQuote, LibraryLevelChainAndTcbEvaluation) {
    using namespace vep::tdx_dcap;
    const auto bytes = read_bytes(data_path(kV4));
    const Quote quote = parse_quote(bytes);
    const auto chain = parse_pem_certificates(quote.pck_chain_pem);
    ASSERT_EQ(chain.size(), 3u);
    const auto pck = parse_pck_extension(chain.front().get());
    ASSERT_TRUE(pck);
    EXPECT_EQ(vep::hex::encode(pck->fmspc.data(), pck->fmspc.size()), "b0c06f000000");
    EXPECT_EQ(pck->pce_svn, 11u);
    const PinnedRoots intel({"44a0196b2b99f889b8e149e95b807a350e7424964399e885a7cbb8ccfab674d3"});
    EXPECT_EQ(intel.verify(chain, kInsideV4Window), "");
    const Collateral collateral = Collateral::load_file(data_path(kV4Collateral));
    EXPECT_EQ(collateral.check(intel, chain, kInsideV4Window), "");
    EXPECT_NE(collateral.check(intel, chain, 1753000000), "");
    EXPECT_EQ(evaluate_tcb_status(quote, *pck, collateral.tcb_info(), collateral.qe_identity()), "UpToDate");

    const auto v5_bytes = read_bytes(data_path(kV5));
    const Quote v5 = parse_quote(v5_bytes);
    const auto v5_chain = parse_pem_certificates(v5.pck_chain_pem);
    const auto v5_pck = parse_pck_extension(v5_chain.front().get());
    ASSERT_TRUE(v5_pck);
    const Collateral v5_collateral = Collateral::load_file(data_path(kV5Collateral));
    EXPECT_EQ(v5_collateral.check(intel, v5_chain, kInsideV5Window), "");
    EXPECT_THROW(evaluate_tcb_status(v5, *v5_pck, v5_collateral.tcb_info(), v5_collateral.qe_identity()),
                 TcbEvaluationError);
    // Cross-wired collateral: the v4 platform's FMSPC is not the v5 TCB Info's.
    EXPECT_THROW(evaluate_tcb_status(quote, *pck, v5_collateral.tcb_info(), v5_collateral.qe_identity()),
                 TcbEvaluationError);
}

TEST(RealQuote, TamperedCollateralSignatureIsRejected) {
    using namespace vep::tdx_dcap;
    Value root = vep::json::parse(read_text(data_path(kV4Collateral)));
    std::string tcb = root.find("tcb_info")->as_string();
    tcb[tcb.find("UpToDate")] = 'u';
    root.set("tcb_info", tcb);
    const Collateral collateral = Collateral::parse(vep::json::dump(root));
    const auto bytes = read_bytes(data_path(kV4));
    const auto chain = parse_pem_certificates(parse_quote(bytes).pck_chain_pem);
    const PinnedRoots intel({"44a0196b2b99f889b8e149e95b807a350e7424964399e885a7cbb8ccfab674d3"});
    EXPECT_NE(collateral.check(intel, chain, kInsideV4Window).find("TCB Info signature"), std::string::npos);
}

}  // namespace
