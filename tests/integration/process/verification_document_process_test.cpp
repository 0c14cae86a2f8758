// GET /v1/attestation/{model} as operators run it, on config/demo-sim.toml (envelope + tdx-dcap
// verification against venice-sim's test PKI): the verification document carries every field
// docs/verification-document.md lists, a second read answers the same round, ?refresh=1 runs a new
// one (a new nonce, one more upstream attestation fetch), the audit log records exactly the
// served documents, an unknown model is 404, and a rejected round's document says why.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <regex>

#include "proxy_stack.hpp"
#include "vep/json.hpp"

using namespace vep::test;
using ::testing::HasSubstr;
using vep::json::Value;

namespace {

const std::string kModel = "e2ee-qwen3-235b-a22b-p";

bool is_hex(const Value *v, size_t length) {
    return v && v->is_string() && std::regex_match(v->as_string(), std::regex("[0-9a-f]{" + std::to_string(length) + "}"));
}

size_t attestation_fetches(uint16_t sim_port) {
    size_t n = 0;
    const Value records = vep::json::parse(http(sim_port, "GET", "/_sim/requests").body);
    for (const auto &record : records.as_array())
        if (record.find("path")->as_string().find("tee/attestation") != std::string::npos) ++n;
    return n;
}

std::vector<Value> audit_records(const std::string &path) {
    std::vector<Value> records;
    std::ifstream in(path);
    for (std::string line; std::getline(in, line);)
        if (!line.empty()) records.push_back(vep::json::parse(line));
    return records;
}

}  // namespace

TEST(VerificationDocument, ServesTheLatestVerdictRefreshesOnRequestAndMatchesTheAuditLog) {
    const auto dir = std::filesystem::temp_directory_path() / ("vep-verification-" + std::to_string(getpid()));
    std::filesystem::create_directories(dir);
    const std::string audit = (dir / "audit.jsonl").string();
    Stack stack(kDemoConfig, {}, {{"VENICE_E2EE_PROXY__LOGGING__AUDIT_LOG", audit}});

    const auto first = http(stack.port, "GET", "/v1/attestation/" + kModel);
    ASSERT_EQ(first.status, 200) << first.body;
    EXPECT_EQ(first.headers.at("Content-Type"), "application/json");
    const Value doc = vep::json::parse(first.body);
    EXPECT_EQ(doc.find("schema")->as_string(), "vep.verification/1");
    EXPECT_EQ(doc.find("model")->as_string(), kModel);
    EXPECT_EQ(doc.find("outcome")->as_string(), "verified");
    EXPECT_EQ(doc.find("code"), nullptr);
    EXPECT_TRUE(is_hex(doc.find("nonce"), 64));
    int64_t time = 0;
    EXPECT_TRUE(doc.find("time")->get_i64(time));
    EXPECT_GT(time, 1700000000);
    EXPECT_EQ(doc.find("model_public_key"), nullptr);  // keys are never logged: its fingerprint is
    EXPECT_TRUE(is_hex(doc.find("key_fingerprint"), 16));
    ASSERT_NE(doc.find("signing_address"), nullptr);
    EXPECT_TRUE(std::regex_match(doc.find("signing_address")->as_string(), std::regex("0x[0-9a-f]{40}")));
    const Value *tdx = doc.find("tdx");
    ASSERT_NE(tdx, nullptr);
    EXPECT_TRUE(tdx->find("verified")->as_bool());
    EXPECT_TRUE(is_hex(tdx->find("mrtd"), 96)) << first.body;
    ASSERT_NE(tdx->find("rtmrs"), nullptr);
    ASSERT_EQ(tdx->find("rtmrs")->as_array().size(), 4u);
    for (const auto &rtmr : tdx->find("rtmrs")->as_array()) EXPECT_TRUE(is_hex(&rtmr, 96));
    ASSERT_NE(tdx->find("tcb_status"), nullptr);
    EXPECT_TRUE(tdx->find("tcb_status")->is_string());
    ASSERT_NE(doc.find("nvidia"), nullptr);
    EXPECT_TRUE(doc.find("nvidia")->find("status") || doc.find("nvidia")->find("present")) << first.body;
    const auto &checks = doc.find("checks")->as_array();
    ASSERT_FALSE(checks.empty());
    bool dcap_signature = false;
    for (const auto &check : checks) {
        EXPECT_TRUE(check.find("verifier")->is_string());
        EXPECT_TRUE(check.find("name")->is_string());
        EXPECT_TRUE(check.find("ok")->as_bool());
        EXPECT_TRUE(check.find("detail")->is_string());
        dcap_signature |= check.find("verifier")->as_string() == "tdx-dcap" &&
                          check.find("name")->as_string() == "quote_signature";
    }
    EXPECT_TRUE(dcap_signature);
    const auto &verifiers = doc.find("verifiers")->as_array();
    ASSERT_EQ(verifiers.size(), 2u);
    EXPECT_EQ(verifiers[0].as_string(), "envelope");
    EXPECT_EQ(verifiers[1].as_string(), "tdx-dcap");
    EXPECT_TRUE(doc.find("policy")->find("require_tdx")->as_bool());
    EXPECT_EQ(doc.find("policy")->find("require_nvidia")->as_string(), "never");

    // The same round until a refresh is asked for.
    const size_t fetches = attestation_fetches(stack.sim_port);
    const auto again = http(stack.port, "GET", "/v1/attestation/" + kModel);
    EXPECT_EQ(vep::json::parse(again.body).find("nonce")->as_string(), doc.find("nonce")->as_string());
    EXPECT_EQ(attestation_fetches(stack.sim_port), fetches);
    const auto refreshed = http(stack.port, "GET", "/v1/attestation/" + kModel + "?refresh=1");
    ASSERT_EQ(refreshed.status, 200) << refreshed.body;
    const Value fresh = vep::json::parse(refreshed.body);
    EXPECT_NE(fresh.find("nonce")->as_string(), doc.find("nonce")->as_string());
    EXPECT_EQ(fresh.find("outcome")->as_string(), "verified");
    EXPECT_EQ(attestation_fetches(stack.sim_port), fetches + 1);

    // The audit log recorded exactly the two documents served.
    const auto records = audit_records(audit);
    ASSERT_EQ(records.size(), 2u);
    EXPECT_EQ(vep::json::dump(records[0]), vep::json::dump(doc));
    EXPECT_EQ(vep::json::dump(records[1]), vep::json::dump(fresh));

    const auto unknown = http(stack.port, "GET", "/v1/attestation/no-such-model");
    EXPECT_EQ(unknown.status, 404);
    EXPECT_EQ(unknown.headers.at("X-Venice-Proxy-Error-Code"), "not_found");
    EXPECT_THAT(unknown.body, HasSubstr("no-such-model"));
    EXPECT_EQ(http(stack.port, "POST", "/v1/attestation/" + kModel).status, 405);

    // A rejected round is answered too, with its code and the check that failed.
    ASSERT_EQ(http(stack.sim_port, "POST", "/_sim/config", R"({"attestation_fault":"nonce_mismatch"})").status, 200);
    const auto rejected = http(stack.port, "GET", "/v1/attestation/" + kModel + "?refresh=1");
    ASSERT_EQ(rejected.status, 200) << rejected.body;
    const Value bad = vep::json::parse(rejected.body);
    EXPECT_EQ(bad.find("outcome")->as_string(), "rejected");
    EXPECT_EQ(bad.find("code")->as_string(), "attestation_nonce_mismatch");
    const auto &bad_checks = bad.find("checks")->as_array();
    ASSERT_FALSE(bad_checks.empty());
    EXPECT_FALSE(bad_checks.back().find("ok")->as_bool());
    EXPECT_EQ(audit_records(audit).size(), 3u);
    std::filesystem::remove_all(dir);
}
