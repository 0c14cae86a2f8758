// nvidia-evidence through the ABI: the real NEAR AI 8-GPU evidence verifies offline; every
// tampering (evidence byte, signature byte, nonce, impostor root with NVIDIA's name, truncation,
// swapped or duplicated GPUs, validity time) is rejected; require_nvidia semantics; config.
#include <gtest/gtest.h>

#include "nvidia_fixture.hpp"
#include "vep/hex.hpp"

using namespace nvidia_test;
using vep::json::Value;

namespace {

std::string status_of(const vep::client::AttestationOutcome &o) {
    return o.report.find("nvidia")->find("status")->as_string();
}

std::string join(const std::vector<std::string> &parts) {
    std::string out;
    for (const auto &p : parts) out += p;
    return out;
}

}  // namespace

TEST(NvidiaEvidence, RealNearAiGpuEvidenceVerifies) {
    for (const char *config : {R"({"require_nvidia":"when_present"})", R"({"require_nvidia":"required"})"}) {
        const auto o = Harness(config).run(body_with(near_payload()));
        ASSERT_TRUE(o.ok) << o.code << ": " << o.message;
        EXPECT_EQ(status_of(o), "verified");
        EXPECT_EQ(o.report.find("nvidia")->find("gpus")->as_number().text, "8");
        EXPECT_EQ(o.report.find("nvidia")->find("arch")->as_string(), "HOPPER");
        const auto &checks = o.report.find("checks")->as_array();
        ASSERT_EQ(checks.size(), 9u);  // payload + 8 GPUs
        for (const auto &c : checks) {
            EXPECT_TRUE(c.find("ok")->as_bool());
            EXPECT_EQ(c.find("verifier")->as_string(), "nvidia-evidence");
        }
        EXPECT_NE(checks[1].find("detail")->as_string().find("driver 570.172.08"), std::string::npos);
    }
}

TEST(NvidiaEvidence, PayloadAsObjectAndHexEvidence) {
    Value payload = near_payload();
    EXPECT_TRUE(Harness().run(body_with(payload, /*as_string=*/false)).ok);
    payload.find("evidence_list")->as_array()[3].set("evidence", vep::hex::encode(evidence_of(payload, 3)));
    const auto o = Harness().run(body_with(payload));
    EXPECT_TRUE(o.ok) << o.message;
}

TEST(NvidiaEvidence, FlippedEvidenceByteFails) {
    for (size_t offset : {std::size_t{40}, std::size_t{200}, std::size_t{3000}}) {
        Value payload = near_payload();
        auto ev = evidence_of(payload, 2);
        ev[offset] ^= 0x01;
        set_evidence(payload, 2, ev);
        const auto o = Harness().run(body_with(payload));
        EXPECT_FALSE(o.ok) << offset;
        EXPECT_EQ(o.code, "attestation_invalid_nvidia_evidence") << offset;
        EXPECT_NE(o.message.find("gpu[2]"), std::string::npos);
    }
}

TEST(NvidiaEvidence, FlippedSignatureByteFails) {
    for (size_t from_end : {std::size_t{1}, std::size_t{50}, std::size_t{96}}) {
        Value payload = near_payload();
        auto ev = evidence_of(payload, 0);
        ev[ev.size() - from_end] ^= 0x80;
        set_evidence(payload, 0, ev);
        const auto o = Harness().run(body_with(payload));
        EXPECT_EQ(o.code, "attestation_invalid_nvidia_evidence") << from_end;
        EXPECT_NE(o.message.find("signature"), std::string::npos) << o.message;
    }
}

TEST(NvidiaEvidence, WrongNonceFails) {
    const std::string other = "deadbeef00000000000000000000000000000000000000000000000000000002";
    // the request nonce differs from the payload's
    EXPECT_EQ(Harness().run(body_with(near_payload()), other).code, "attestation_nonce_mismatch");
    // the payload nonce is rewritten to the request's, but the GPU signed the old one
    Value payload = near_payload();
    payload.set("nonce", other);
    const auto o = Harness().run(body_with(payload), other);
    EXPECT_EQ(o.code, "attestation_nonce_mismatch");
    EXPECT_NE(o.message.find("gpu[0]"), std::string::npos);
    // the requester nonce inside the evidence is rewritten: the signature breaks
    payload = near_payload();
    auto ev = evidence_of(payload, 5);
    ev[35] = 0x02;
    set_evidence(payload, 5, ev);
    payload.set("nonce", other);
    Value only_gpu5 = payload;
    auto &list = only_gpu5.find("evidence_list")->as_array();
    list = {list[5]};
    EXPECT_EQ(Harness().run(body_with(only_gpu5), other).code, "attestation_invalid_nvidia_evidence");
}

TEST(NvidiaEvidence, ImpostorRootWithTheSameSubjectFails) {
    Value payload = near_payload();
    auto certs = split_pem(certificate_chain_of(payload, 1));
    ASSERT_EQ(certs.size(), 5u);
    std::string fingerprint;
    certs.back() = impostor_root_pem(certs.back(), fingerprint);
    set_certificate_chain(payload, 1, join(certs));
    auto o = Harness().run(body_with(payload));
    EXPECT_EQ(o.code, "attestation_invalid_nvidia_evidence");
    EXPECT_NE(o.message.find("not a pinned root"), std::string::npos) << o.message;
    // even when the impostor is pinned, NVIDIA's intermediates were not signed by it
    auto &list = payload.find("evidence_list")->as_array();
    list = {list[1]};
    o = Harness(R"({"require_nvidia":"when_present","root_ca_sha256":[")" + fingerprint + R"("]})").run(body_with(payload));
    EXPECT_EQ(o.code, "attestation_invalid_nvidia_evidence");
    EXPECT_NE(o.message.find("does not validate"), std::string::npos) << o.message;
}

TEST(NvidiaEvidence, RealRootNotPinnedFails) {
    const auto o = Harness(R"({"require_nvidia":"required","root_ca_sha256":[")" + std::string(64, 'a') + R"("]})")
                       .run(body_with(near_payload()));
    EXPECT_EQ(o.code, "attestation_invalid_nvidia_evidence");
}

TEST(NvidiaEvidence, TruncatedEvidenceFails) {
    for (size_t keep : {std::size_t{0}, std::size_t{36}, std::size_t{200}, std::size_t{4265}}) {
        Value payload = near_payload();
        auto ev = evidence_of(payload, 7);
        ev.resize(keep);
        set_evidence(payload, 7, ev);
        EXPECT_EQ(Harness().run(body_with(payload)).code, "attestation_invalid_nvidia_evidence") << keep;
    }
}

TEST(NvidiaEvidence, BrokenOrMismatchedChainsFail) {
    Value payload = near_payload();
    auto certs = split_pem(certificate_chain_of(payload, 4));
    set_certificate_chain(payload, 4, certs.front() + certs.back());  // intermediates dropped
    EXPECT_EQ(Harness().run(body_with(payload)).code, "attestation_invalid_nvidia_evidence");
    payload = near_payload();
    set_certificate_chain(payload, 4, certificate_chain_of(payload, 6));  // another GPU's chain
    const auto o = Harness().run(body_with(payload));
    EXPECT_EQ(o.code, "attestation_invalid_nvidia_evidence");
    EXPECT_NE(o.message.find("signature"), std::string::npos) << o.message;
    payload = near_payload();
    payload.find("evidence_list")->as_array()[0].set("certificate", "not base64!");
    EXPECT_EQ(Harness().run(body_with(payload)).code, "attestation_invalid_nvidia_evidence");
}

TEST(NvidiaEvidence, DuplicatedGpuFails) {
    Value payload = near_payload();
    auto &list = payload.find("evidence_list")->as_array();
    list.push_back(list[0]);
    const auto o = Harness().run(body_with(payload));
    EXPECT_EQ(o.code, "attestation_invalid_nvidia_evidence");
    EXPECT_NE(o.message.find("twice"), std::string::npos);
}

TEST(NvidiaEvidence, ValidityTimeComesFromTheHostOrTheOverride) {
    // leaf certificates are valid from 2020-10-17
    EXPECT_EQ(Harness().run(body_with(near_payload()), kNearNonce, 1500000000).code, "attestation_invalid_nvidia_evidence");
    EXPECT_EQ(Harness(R"({"require_nvidia":"when_present","verification_time":"2017-07-14T02:40:00Z"})")
                  .run(body_with(near_payload()))
                  .code,
              "attestation_invalid_nvidia_evidence");
    EXPECT_TRUE(Harness(R"({"require_nvidia":"when_present","verification_time":1767225600})")
                    .run(body_with(near_payload()), kNearNonce, 1500000000)
                    .ok);
}

TEST(NvidiaEvidence, RequireNvidiaSemantics) {
    Value absent = body_with(near_payload());
    absent.set("nvidia_payload", nullptr);
    EXPECT_EQ(status_of(Harness(R"({"require_nvidia":"never"})").run(body_with(near_payload()))), "ignored");
    EXPECT_EQ(status_of(Harness(R"({"require_nvidia":"never"})").run(absent)), "not-present");
    EXPECT_EQ(status_of(Harness(R"({"require_nvidia":"when_present"})").run(absent)), "not-present");
    EXPECT_EQ(Harness(R"({"require_nvidia":"required"})").run(absent).code, "attestation_missing_nvidia_evidence");
    Value empty = near_payload();
    empty.find("evidence_list")->as_array().clear();
    const auto o = Harness().run(body_with(empty));
    ASSERT_TRUE(o.ok);
    EXPECT_EQ(status_of(o), "not-present");
    EXPECT_EQ(o.report.find("nvidia")->find("gpus")->as_number().text, "0");
    EXPECT_EQ(Harness(R"({"require_nvidia":"required"})").run(body_with(empty)).code, "attestation_missing_nvidia_evidence");
}

TEST(NvidiaEvidence, MalformedPayloadsFail) {
    Harness h;
    for (const char *payload : {"42", "\"{not json\"", "{\"evidence_list\":[]}", "{\"nonce\":\"x\",\"evidence_list\":{}}",
                                "[]", "{\"nonce\":\"deadbeef00000000000000000000000000000000000000000000000000000001\","
                                      "\"evidence_list\":[{\"certificate\":\"\",\"evidence\":7}]}"}) {
        Value body = body_with(Value::object());
        body.set("nvidia_payload", vep::json::parse(payload));
        const auto o = h.run(body);
        EXPECT_FALSE(o.ok) << payload;
        EXPECT_TRUE(o.code == "attestation_invalid_nvidia_evidence" || o.code == "attestation_nonce_mismatch")
            << payload << " -> " << o.code;
    }
    EXPECT_EQ(h.run(vep::json::parse("[1]")).code, "attestation_malformed_response");
}

TEST(NvidiaEvidence, ConfigValidation) {
    EXPECT_THROW(Harness(R"({"root_ca_sha256":[]})"), vep::Failure);
    EXPECT_THROW(Harness(R"({"root_ca_sha256":["abc"]})"), vep::Failure);
    EXPECT_THROW(Harness(R"({"root_ca_sha256":"102bf659"})"), vep::Failure);
    EXPECT_THROW(Harness(R"({"verification_time":"yesterday"})"), vep::Failure);
    EXPECT_THROW(Harness(R"({"root_ca":"x"})"), vep::Failure);
    // colon-separated, upper-case fingerprints are accepted
    std::string colon;
    const std::string fp = "102BF659D5419614C9D8E6AECEBC80454EB26B1DF6A769AC720B9A690B167B48";
    for (size_t i = 0; i < fp.size(); i += 2) {
        if (i) colon += ':';
        colon += fp.substr(i, 2);
    }
    EXPECT_TRUE(Harness(R"({"require_nvidia":"required","root_ca_sha256":[")" + colon + R"("]})")
                    .run(body_with(near_payload()))
                    .ok);
}
