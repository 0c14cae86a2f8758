// CheckLog: entries accumulate in report["checks"], a failure is recorded and thrown; the shared
// request-nonce and evidence-JSON checks.
#include <gtest/gtest.h>

#include "vep/attestation/check_log.hpp"
#include "vep/sdk.hpp"

using vep::attestation::CheckLog;

TEST(CheckLog, RecordsPassesAndFailure) {
    vep::json::Value report = vep::json::Value::object();
    CheckLog log("envelope", report);
    log.pass("nonce_echo", "matches");
    try {
        log.fail("model_echo", "attestation_model_mismatch", "model differs");
        FAIL() << "fail() must throw";
    } catch (const vep::Failure &f) {
        EXPECT_EQ(f.code(), "attestation_model_mismatch");
        EXPECT_STREQ(f.what(), "model differs");
    }
    const auto &checks = report.find("checks")->as_array();
    ASSERT_EQ(checks.size(), 2u);
    EXPECT_EQ(checks[0].find("verifier")->as_string(), "envelope");
    EXPECT_EQ(checks[0].find("name")->as_string(), "nonce_echo");
    EXPECT_TRUE(checks[0].find("ok")->as_bool());
    EXPECT_FALSE(checks[1].find("ok")->as_bool());
    EXPECT_EQ(checks[1].find("detail")->as_string(), "model differs");
}

TEST(CheckLog, WarningIsAPassMarkedAsWarning) {
    vep::json::Value report = vep::json::Value::object();
    CheckLog log("nvidia-evidence", report);
    log.pass("clean", "ok");
    log.warn("graced", "accepted within a grace period");
    const auto &checks = report.find("checks")->as_array();
    ASSERT_EQ(checks.size(), 2u);
    EXPECT_EQ(checks[0].find("warning"), nullptr);
    EXPECT_TRUE(checks[1].find("ok")->as_bool());
    ASSERT_NE(checks[1].find("warning"), nullptr);
    EXPECT_TRUE(checks[1].find("warning")->as_bool());
    EXPECT_EQ(checks[1].find("detail")->as_string(), "accepted within a grace period");
}

TEST(CheckLog, AppendsToExistingChecks) {
    vep::json::Value report = vep::json::parse(R"({"checks":[{"verifier":"x","name":"y","ok":true,"detail":""}]})");
    CheckLog log("envelope", report);
    log.pass("a", "b");
    EXPECT_EQ(report.find("checks")->as_array().size(), 2u);
}

TEST(CheckLog, RequestNonceMustBe64LowercaseHex) {
    vep::json::Value report = vep::json::Value::object();
    CheckLog log("envelope", report);
    vep::attestation::check_request_nonce(log, std::string(64, 'a'));
    EXPECT_TRUE(report.find("checks")->as_array().empty());
    for (const std::string &bad : {std::string(63, 'a'), std::string(64, 'A'), std::string(64, 'g'), std::string()}) {
        try {
            vep::attestation::check_request_nonce(log, bad);
            ADD_FAILURE() << "accepted " << bad;
        } catch (const vep::Failure &f) {
            EXPECT_EQ(f.code(), "invalid_attestation_request");
        }
    }
    EXPECT_EQ(report.find("checks")->as_array().back().find("name")->as_string(), "request_nonce");
}

TEST(CheckLog, EvidenceThatIsNotJsonFailsTheNamedCheck) {
    vep::json::Value report = vep::json::Value::object();
    CheckLog log("nvidia-evidence", report);
    EXPECT_EQ(vep::attestation::parse_evidence(log, "nvidia_payload", R"({"a":1})"), vep::json::parse(R"({"a":1})"));
    try {
        vep::attestation::parse_evidence(log, "nvidia_payload", "{");
        FAIL() << "parse_evidence() must throw";
    } catch (const vep::Failure &f) {
        EXPECT_EQ(f.code(), "attestation_malformed_response");
        EXPECT_EQ(std::string(f.what()).rfind("attestation body is not JSON: ", 0), 0u);
    }
    EXPECT_EQ(report.find("checks")->as_array().back().find("name")->as_string(), "nvidia_payload");
}
