// attestation.receipts as operators run it, on config/demo-sim.toml against venice-sim: "off"
// never asks for /tee/signature; "audit" releases every answer and records each receipt's outcome
// in the audit log and vep_receipt_checks_total — verified for a valid record, failed (with the
// failing check named) for each of the simulator's receipt faults; "require" releases a buffered
// answer only with a valid receipt, answers each fault with receipt_verification_failed and
// nothing of the answer, and refuses streaming requests with receipt_requires_buffered_answer.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "proxy_stack.hpp"
#include "vep/json.hpp"

using namespace vep::test;
using vep::json::Value;

namespace {

const std::string kModel = "e2ee-qwen3-235b-a22b-p";

// The simulator's receipt faults and the check each must fail.
const std::vector<std::pair<std::string, std::string>> kFaults = {
    {"bad_signature", "eip191_signature"},
    {"wrong_signer", "eip191_signature"},
    {"other_request", "receipt_chat_id"},
    {"bad_receipt_signature", "receipt_signature"},
};

struct TempDir {
    TempDir() : path(std::filesystem::temp_directory_path() / ("vep-receipts-" + std::to_string(getpid()) + "-" +
                                                               std::to_string(counter++))) {
        std::filesystem::create_directories(path);
    }
    ~TempDir() { std::filesystem::remove_all(path); }
    std::filesystem::path path;
    static inline int counter = 0;
};

std::vector<Value> receipt_records(const std::string &audit_path) {
    std::vector<Value> records;
    std::ifstream in(audit_path);
    for (std::string line; std::getline(in, line);) {
        if (line.empty()) continue;
        Value record = vep::json::parse(line);
        if (const Value *event = record.find("event"); event && event->as_string() == "receipt")
            records.push_back(std::move(record));
    }
    return records;
}

// Waits (bounded) until the audit log holds `count` receipt records.
std::vector<Value> wait_for_receipts(const std::string &audit_path, size_t count) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    std::vector<Value> records = receipt_records(audit_path);
    while (records.size() < count && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        records = receipt_records(audit_path);
    }
    return records;
}

size_t signature_fetches(uint16_t sim_port) {
    size_t n = 0;
    const Value records = vep::json::parse(http(sim_port, "GET", "/_sim/requests").body);
    for (const auto &record : records.as_array())
        if (record.find("path")->as_string() == "/api/v1/tee/signature") ++n;
    return n;
}

std::string status_of(const Value &record, const std::string &check) {
    for (const auto &c : record.find("checks")->as_array())
        if (c.find("name")->as_string() == check) return c.find("status")->as_string();
    return "absent";
}

// The value of one exposition series, 0 when absent.
double metric(uint16_t admin_port, const std::string &series) {
    std::istringstream lines(http(admin_port, "GET", "/metrics").body);
    for (std::string line; std::getline(lines, line);)
        if (line.rfind(series + " ", 0) == 0) return std::stod(line.substr(series.size() + 1));
    return 0;
}

void set_fault(uint16_t sim_port, const std::string &fault) {
    ASSERT_EQ(http(sim_port, "POST", "/_sim/config", R"({"receipt_fault":")" + fault + R"("})").status, 200);
}

std::map<std::string, std::string> env_for(const std::string &mode, const std::string &audit_path) {
    return {{"VENICE_E2EE_PROXY__ATTESTATION__RECEIPTS", mode},
            {"VENICE_E2EE_PROXY__LOGGING__AUDIT_LOG", audit_path},
            {"VENICE_E2EE_PROXY__ADMIN__ENABLED", "true"},
            {"VENICE_E2EE_PROXY__ADMIN__PORT", "0"}};
}

}  // namespace

TEST(Receipts, OffNeverFetchesTheSignature) {
    Stack stack;
    EXPECT_EQ(http(stack.port, "POST", "/v1/chat/completions", chat("receipts off buffered", false)).status, 200);
    EXPECT_EQ(http(stack.port, "POST", "/v1/chat/completions", chat("receipts off streamed", true)).status, 200);
    EXPECT_EQ(signature_fetches(stack.sim_port), 0u);
}

TEST(Receipts, AuditReleasesEveryAnswerAndRecordsEachOutcome) {
    TempDir dir;
    const std::string audit = (dir.path / "audit.jsonl").string();
    Stack stack(kDemoConfig, {}, env_for("audit", audit));

    const auto buffered = http(stack.port, "POST", "/v1/chat/completions", chat("audit secret buffered", false));
    ASSERT_EQ(buffered.status, 200) << buffered.body;
    const auto streamed = http(stack.port, "POST", "/v1/chat/completions", chat("audit secret streamed", true));
    ASSERT_EQ(streamed.status, 200) << streamed.body;
    auto records = wait_for_receipts(audit, 2);
    ASSERT_EQ(records.size(), 2u);
    for (const auto &record : records) {
        EXPECT_EQ(record.find("outcome")->as_string(), "verified") << vep::json::dump(record);
        EXPECT_EQ(record.find("mode")->as_string(), "audit");
        EXPECT_EQ(record.find("model")->as_string(), kModel);
        EXPECT_EQ(record.find("completion_id")->as_string().rfind("chatcmpl-sim-", 0), 0u);
        // Nothing between the proxy and venice-sim re-serialises: every hash is checked and holds.
        for (const char *check : {"eip191_signature", "signing_address", "request_hash", "response_hash", "receipt_key",
                                  "receipt_signature", "receipt_keyset_digest", "receipt_chat_id",
                                  "receipt_request_hash", "receipt_response_hash"})
            EXPECT_EQ(status_of(record, check), "pass") << check << ": " << vep::json::dump(record);
    }
    EXPECT_EQ(metric(stack.admin_port, R"(vep_receipt_checks_total{mode="audit",outcome="verified"})"), 2);

    for (const auto &[fault, check] : kFaults) {
        set_fault(stack.sim_port, fault);
        const auto answer = http(stack.port, "POST", "/v1/chat/completions", chat("audit secret " + fault, false));
        EXPECT_EQ(answer.status, 200) << fault << ": " << answer.body;  // audit never withholds the answer
        records = wait_for_receipts(audit, records.size() + 1);
        ASSERT_FALSE(records.empty());
        const Value &record = records.back();
        EXPECT_EQ(record.find("outcome")->as_string(), "failed") << fault;
        EXPECT_EQ(record.find("code")->as_string(), "receipt_verification_failed");
        EXPECT_EQ(status_of(record, check), "fail") << fault << ": " << vep::json::dump(record);
    }
    EXPECT_EQ(metric(stack.admin_port, R"(vep_receipt_checks_total{mode="audit",outcome="failed"})"), 4);

    set_fault(stack.sim_port, "status_404");
    EXPECT_EQ(http(stack.port, "POST", "/v1/chat/completions", chat("audit secret missing", false)).status, 200);
    records = wait_for_receipts(audit, records.size() + 1);
    EXPECT_EQ(records.back().find("outcome")->as_string(), "fetch_failed");

    std::ifstream in(audit);
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_EQ(text.find("audit secret"), std::string::npos) << "the audit log carries prompt or answer text";
}

TEST(Receipts, RequireReleasesABufferedAnswerOnlyWithAValidReceipt) {
    TempDir dir;
    const std::string audit = (dir.path / "audit.jsonl").string();
    Stack stack(kDemoConfig, {}, env_for("require", audit));

    const auto good = http(stack.port, "POST", "/v1/chat/completions", chat("require secret good", false));
    ASSERT_EQ(good.status, 200) << good.body;
    EXPECT_NE(good.body.find("require secret good"), std::string::npos) << good.body;  // the sim echoes
    ASSERT_EQ(receipt_records(audit).size(), 1u);  // checked before the answer was released
    EXPECT_EQ(receipt_records(audit).back().find("outcome")->as_string(), "verified");

    const auto streamed = http(stack.port, "POST", "/v1/chat/completions", chat("require secret streamed", true));
    EXPECT_EQ(streamed.status, 400);
    EXPECT_EQ(streamed.headers.at("X-Venice-Proxy-Error-Code"), "receipt_requires_buffered_answer");
    const size_t chats_before_faults = signature_fetches(stack.sim_port);

    std::vector<std::pair<std::string, std::string>> faults = kFaults;
    faults.emplace_back("status_404", "");
    for (const auto &[fault, check] : faults) {
        set_fault(stack.sim_port, fault);
        const std::string prompt = "require secret " + fault;
        const auto refused = http(stack.port, "POST", "/v1/chat/completions", chat(prompt, false));
        EXPECT_EQ(refused.status, 502) << fault << ": " << refused.body;
        EXPECT_EQ(refused.headers.at("X-Venice-Proxy-Error-Code"), "receipt_verification_failed") << fault;
        EXPECT_EQ(vep::json::parse(refused.body).find("error")->find("code")->as_string(), "receipt_verification_failed");
        EXPECT_EQ(refused.body.find(prompt), std::string::npos) << fault << " released the answer: " << refused.body;
        const Value record = receipt_records(audit).back();
        EXPECT_EQ(record.find("mode")->as_string(), "require");
        if (!check.empty()) EXPECT_EQ(status_of(record, check), "fail") << fault << ": " << vep::json::dump(record);
        else EXPECT_EQ(record.find("outcome")->as_string(), "fetch_failed");
    }
    EXPECT_GT(signature_fetches(stack.sim_port), chats_before_faults);
    EXPECT_EQ(metric(stack.admin_port, R"(vep_receipt_checks_total{mode="require",outcome="verified"})"), 1);
    EXPECT_EQ(metric(stack.admin_port, R"(vep_receipt_checks_total{mode="require",outcome="failed"})"), 4);
    EXPECT_EQ(metric(stack.admin_port, R"(vep_receipt_checks_total{mode="require",outcome="fetch_failed"})"), 1);

    set_fault(stack.sim_port, "none");
    EXPECT_EQ(http(stack.port, "POST", "/v1/chat/completions", chat("require secret again", false)).status, 200);
}
