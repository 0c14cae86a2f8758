// OCSP revocation of the GPU chain, on the real NEAR AI evidence of GPU 0 re-signed under a test
// PKI (root, ICA, per-device certificate, leaf with the GPU's FWID) whose OCSP responder is a
// 127.0.0.1 server serving responses signed by each certificate's issuer: good passes; revoked
// fails (or warns within ocsp_revoked_grace_seconds); unknown fails unless allowed; an
// unreachable responder passes with a warning only within ocsp_unreachable_grace_seconds of the
// last good answer's expiry; a response signed by the wrong key fails.
#include <gtest/gtest.h>

#include <openssl/ocsp.h>

#include "fake_pccs.hpp"
#include "nvidia_fixture.hpp"
#include "spdm_measurements.hpp"
#include "test_pki.hpp"

using namespace nvidia_test;
using vep::json::Value;

namespace {

constexpr int64_t kNow = 1767225600;  // the harness's default verification time

class OcspFixture {
  public:
    OcspFixture() : pki_(make_gpu_pki(*vep::nvidia::parse_spdm_measurements(evidence_of(near_payload(), 0)).fwid,
                                      responder_.url() + "/ocsp")) {
        payload_ = near_payload();
        auto &list = payload_.find("evidence_list")->as_array();
        list = {list[0]};
        set_evidence(payload_, 0, resign_evidence(evidence_of(payload_, 0), pki_.leaf.key.get()));
        set_certificate_chain(payload_, 0, pki_.chain_pem());
        serve(V_OCSP_CERTSTATUS_GOOD, V_OCSP_CERTSTATUS_GOOD);
    }

    // Both certificates' answers, valid from kNow - 10 to kNow + 60 unless given.
    void serve(int device_status, int ica_status, int64_t this_update = kNow - 10, int64_t next_update = kNow + 60,
               int64_t revoked_at = kNow - 100) {
        responder_.set("/ocsp/device", canned(200, ocsp_response(pki_.device, pki_.ica, device_status, this_update, next_update, revoked_at)));
        responder_.set("/ocsp/ica", canned(200, ocsp_response(pki_.ica, pki_.root, ica_status, this_update, next_update, revoked_at)));
    }
    void serve_device(tdx_test::FakePccs::Response response) { responder_.set("/ocsp/device", std::move(response)); }

    std::string config(const std::string &extra = "") const {
        return R"({"require_nvidia":"required","root_ca_sha256":[")" + pki_.root.sha256() +
               R"("],"revocation":"ocsp","ocsp_timeout_ms":1500)" + extra + "}";
    }
    Value body() const { return body_with(payload_); }
    const GpuPki &pki() const { return pki_; }
    int hits(const std::string &which) const { return responder_.hits("/ocsp/" + which); }

  private:
    tdx_test::FakePccs responder_;
    GpuPki pki_;
    Value payload_;
};

const Value &revocation_check(const vep::client::AttestationOutcome &o) {
    for (const auto &c : o.report.find("checks")->as_array())
        if (c.find("name")->as_string() == "gpu[0].revocation") return c;
    throw std::runtime_error("no gpu[0].revocation check");
}

bool warned(const vep::client::AttestationOutcome &o) {
    const Value *w = revocation_check(o).find("warning");
    return w && w->as_bool();
}

}  // namespace

TEST(GpuOcsp, ResignedEvidenceVerifiesWithoutRevocation) {
    OcspFixture f;
    const std::string config = R"({"require_nvidia":"required","root_ca_sha256":[")" + f.pki().root.sha256() + R"("]})";
    const auto o = Harness(config).run(f.body());
    ASSERT_TRUE(o.ok) << o.message;
    EXPECT_EQ(o.report.find("nvidia")->find("revocation")->as_string(), "off");
    EXPECT_EQ(f.hits("device"), 0);  // off: nothing is fetched
}

TEST(GpuOcsp, GoodAnswersPassAndAreCachedUntilNextUpdate) {
    OcspFixture f;
    const Harness harness(f.config());
    auto o = harness.run(f.body());
    ASSERT_TRUE(o.ok) << o.message;
    EXPECT_EQ(o.report.find("nvidia")->find("revocation")->as_string(), "ocsp");
    EXPECT_TRUE(revocation_check(o).find("ok")->as_bool());
    EXPECT_FALSE(warned(o));
    EXPECT_NE(revocation_check(o).find("detail")->as_string().find("2 certificates"), std::string::npos);
    EXPECT_EQ(f.hits("device"), 1);
    EXPECT_EQ(f.hits("ica"), 1);
    ASSERT_TRUE(harness.run(f.body(), kNearNonce, kNow + 30).ok);
    EXPECT_EQ(f.hits("device"), 1);  // cached
    f.serve(V_OCSP_CERTSTATUS_GOOD, V_OCSP_CERTSTATUS_GOOD, kNow + 100, kNow + 200);
    ASSERT_TRUE(harness.run(f.body(), kNearNonce, kNow + 120).ok);
    EXPECT_EQ(f.hits("device"), 2);  // expired: asked again
}

TEST(GpuOcsp, RevokedFails) {
    OcspFixture f;
    f.serve(V_OCSP_CERTSTATUS_REVOKED, V_OCSP_CERTSTATUS_GOOD);
    auto o = Harness(f.config()).run(f.body());
    EXPECT_EQ(o.code, "attestation_invalid_nvidia_evidence");
    EXPECT_NE(o.message.find("gpu[0].revocation"), std::string::npos) << o.message;
    EXPECT_NE(o.message.find("Test GH100 GSP BROM"), std::string::npos) << o.message;
    EXPECT_NE(o.message.find("revoked at"), std::string::npos) << o.message;
    EXPECT_FALSE(revocation_check(o).find("ok")->as_bool());
    // a revoked intermediate fails the same way
    f.serve(V_OCSP_CERTSTATUS_GOOD, V_OCSP_CERTSTATUS_REVOKED);
    o = Harness(f.config()).run(f.body());
    EXPECT_NE(o.message.find("Test GH100 Identity"), std::string::npos) << o.message;
    // within the revoked grace (revoked 100 s ago): accepted with a warning; beyond it: refused
    f.serve(V_OCSP_CERTSTATUS_REVOKED, V_OCSP_CERTSTATUS_GOOD);
    o = Harness(f.config(R"(,"ocsp_revoked_grace_seconds":3600)")).run(f.body());
    ASSERT_TRUE(o.ok) << o.message;
    EXPECT_TRUE(warned(o));
    EXPECT_FALSE(Harness(f.config(R"(,"ocsp_revoked_grace_seconds":60)")).run(f.body()).ok);
}

TEST(GpuOcsp, UnknownFailsUnlessAllowed) {
    OcspFixture f;
    f.serve(V_OCSP_CERTSTATUS_UNKNOWN, V_OCSP_CERTSTATUS_GOOD);
    auto o = Harness(f.config()).run(f.body());
    EXPECT_NE(o.message.find("status unknown"), std::string::npos) << o.message;
    o = Harness(f.config(R"(,"ocsp_allow_unknown":true)")).run(f.body());
    ASSERT_TRUE(o.ok) << o.message;
    EXPECT_TRUE(warned(o));
}

TEST(GpuOcsp, UnreachableWithinGracePassesWithWarning) {
    OcspFixture f;
    const Harness harness(f.config(R"(,"ocsp_unreachable_grace_seconds":3600)"));
    ASSERT_TRUE(harness.run(f.body()).ok);  // a good answer, valid until kNow + 60
    f.serve_device(canned(503));
    const auto o = harness.run(f.body(), kNearNonce, kNow + 120);  // expired, responder down, within grace
    ASSERT_TRUE(o.ok) << o.message;
    EXPECT_TRUE(warned(o));
    EXPECT_NE(revocation_check(o).find("detail")->as_string().find("HTTP 503"), std::string::npos);
    EXPECT_NE(revocation_check(o).find("detail")->as_string().find("within ocsp_unreachable_grace_seconds"),
              std::string::npos);
    // beyond the grace: refused
    const auto late = harness.run(f.body(), kNearNonce, kNow + 60 + 3601);
    EXPECT_EQ(late.code, "attestation_invalid_nvidia_evidence");
    EXPECT_NE(late.message.find("beyond ocsp_unreachable_grace_seconds"), std::string::npos) << late.message;
}

TEST(GpuOcsp, UnreachableWithoutGraceOrEarlierAnswerFails) {
    OcspFixture f;
    f.serve_device(canned(503));
    // grace configured, but no good answer was ever seen
    auto o = Harness(f.config(R"(,"ocsp_unreachable_grace_seconds":3600)")).run(f.body());
    EXPECT_NE(o.message.find("no earlier good answer"), std::string::npos) << o.message;
    // a good answer was seen, but no grace is configured
    f.serve(V_OCSP_CERTSTATUS_GOOD, V_OCSP_CERTSTATUS_GOOD);
    const Harness harness(f.config());
    ASSERT_TRUE(harness.run(f.body()).ok);
    f.serve_device(canned(503));
    EXPECT_FALSE(harness.run(f.body(), kNearNonce, kNow + 120).ok);
    // a responder that does not answer in time (bounded by ocsp_timeout_ms)
    f.serve_device(canned(200, "x", std::chrono::milliseconds(3000)));
    const auto started = std::chrono::steady_clock::now();
    o = Harness(f.config()).run(f.body());
    EXPECT_FALSE(o.ok);
    EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::milliseconds(2900));
    // nothing listening (ocsp_url overrides the certificates' URLs)
    o = Harness(f.config(R"(,"ocsp_url":"http://127.0.0.1:1/ocsp")")).run(f.body());
    EXPECT_NE(o.message.find("no OCSP answer"), std::string::npos) << o.message;
}

TEST(GpuOcsp, ForgedOrStaleAnswersFail) {
    OcspFixture f;
    // the device certificate's status signed by the root instead of its issuer
    f.serve_device(canned(200, ocsp_response(f.pki().device, f.pki().root, V_OCSP_CERTSTATUS_GOOD, kNow - 10, kNow + 60)));
    auto o = Harness(f.config(R"(,"ocsp_unreachable_grace_seconds":3600)")).run(f.body());
    EXPECT_NE(o.message.find("not signed by the certificate's issuer"), std::string::npos) << o.message;
    // a genuine but expired answer counts as no answer
    f.serve(V_OCSP_CERTSTATUS_GOOD, V_OCSP_CERTSTATUS_GOOD, kNow - 200, kNow - 100);
    o = Harness(f.config()).run(f.body());
    EXPECT_NE(o.message.find("expired response"), std::string::npos) << o.message;
    // not an OCSP response at all
    f.serve_device(canned(200, "<html>captive portal</html>"));
    o = Harness(f.config()).run(f.body());
    EXPECT_NE(o.message.find("not an OCSP response"), std::string::npos) << o.message;
}

TEST(GpuOcsp, AChainWithNothingToCheckFails) {
    // leaf directly under the root: the leaf is never asked about, so nothing would be checked
    const auto fwid = *vep::nvidia::parse_spdm_measurements(evidence_of(near_payload(), 0)).fwid;
    const TestCert root = make_cert("Test Device Identity CA", nullptr);
    const TestCert leaf = make_cert("Test GH100 GSP FMC LF", &root, false, "", fwid);
    Value payload = near_payload();
    auto &list = payload.find("evidence_list")->as_array();
    list = {list[0]};
    set_evidence(payload, 0, resign_evidence(evidence_of(payload, 0), leaf.key.get()));
    set_certificate_chain(payload, 0, leaf.pem() + root.pem());
    const std::string pinned = R"({"require_nvidia":"required","root_ca_sha256":[")" + root.sha256() + R"("])";
    ASSERT_TRUE(Harness(pinned + "}").run(body_with(payload)).ok);
    const auto o = Harness(pinned + R"(,"revocation":"ocsp","ocsp_url":"http://127.0.0.1:1/"})").run(body_with(payload));
    EXPECT_NE(o.message.find("no certificate below the root"), std::string::npos) << o.message;
}

TEST(GpuOcsp, ConfigValidation) {
    EXPECT_THROW(Harness(R"({"revocation":"crl"})"), vep::Failure);
    EXPECT_THROW(Harness(R"({"ocsp_unreachable_grace_seconds":-1})"), vep::Failure);
    EXPECT_THROW(Harness(R"({"ocsp_allow_unknown":"yes"})"), vep::Failure);
    EXPECT_THROW(Harness(R"({"ocsp_timeout_ms":600000})"), vep::Failure);
}
