// Attestation and sessions through the chat route: every attestation fault of venice-sim fails
// closed with its code and no chat call; both response shapes work; sessions reuse one
// attestation, single-flight under concurrency, and honour max_requests (= 1 included).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include "proxy_harness.hpp"
#include "runtime/generation.hpp"

using namespace vep::test;
using ::testing::HasSubstr;

namespace {

class AttestationRoute : public SharedHarnessTest<AttestationRoute> {
  protected:
    void SetUp() override {
        SharedHarnessTest::SetUp();
        h().sim().configure(R"({"attestation_fault":"none","attestation_shape":"aci"})");
    }
};

struct AttestationFault {
    const char *fault;
    const char *code;
};

class AttestationFaults : public AttestationRoute, public ::testing::WithParamInterface<AttestationFault> {};

}  // namespace

TEST_P(AttestationFaults, FailsClosedWithoutCallingChat) {
    h().sim().configure(std::string(R"({"attestation_fault":")") + GetParam().fault + "\"}");
    auto r = h().post_chat(chat_body(kHermesModel, "secret prompt", true));
    EXPECT_EQ(r.status, 502) << r.body;
    EXPECT_EQ(r.header("X-Venice-Proxy-Error-Code"), GetParam().code);
    EXPECT_EQ(r.json().find("error")->find("type")->as_string(), "proxy_attestation_error");
    EXPECT_EQ(h().sim_requests("chat/completions"), 0u);
}

INSTANTIATE_TEST_SUITE_P(
    Faults, AttestationFaults,
    ::testing::Values(AttestationFault{"nonce_mismatch", "attestation_nonce_mismatch"},
                      AttestationFault{"model_mismatch", "attestation_model_mismatch"},
                      AttestationFault{"address_mismatch", "attestation_signing_address_mismatch"},
                      AttestationFault{"not_verified", "attestation_upstream_not_verified"},
                      AttestationFault{"debug_quote", "attestation_debug_mode_detected"},
                      AttestationFault{"report_data_nonce_mismatch", "attestation_nonce_mismatch"},
                      AttestationFault{"status_401", "attestation_fetch_failed"},
                      AttestationFault{"status_500", "attestation_fetch_failed"}),
    [](const auto &info) { return std::string(info.param.fault); });

TEST_F(AttestationRoute, FlatLegacyShapeIsAccepted) {
    h().sim().configure(R"({"attestation_shape":"flat"})");
    auto r = h().post_chat(chat_body(kHermesModel, "flat", false));
    EXPECT_EQ(r.status, 200) << r.body;
}

TEST_F(AttestationRoute, AgentSessionReusesOneAttestation) {
    const std::map<std::string, std::string> headers{{"X-Venice-Proxy-Session-Id", "agent-7"}};
    for (int i = 0; i < 3; ++i) {
        auto r = h().post_chat(chat_body(kHermesModel, "again", false), headers);
        ASSERT_EQ(r.status, 200) << r.body;
        EXPECT_EQ(r.header("X-Venice-Proxy-Session-Id"), "agent-7");
        EXPECT_EQ(r.header("X-Venice-Proxy-Session-Scope"), "agent");
    }
    EXPECT_EQ(h().sim_requests("tee/attestation"), 1u);
}

TEST_F(AttestationRoute, MetadataSessionIdIsUsedWhenNoHeader) {
    for (int i = 0; i < 2; ++i) {
        auto r = h().post_chat(chat_body(kHermesModel, "m", false, R"("metadata":{"session_id":"  meta-1 "})"));
        ASSERT_EQ(r.status, 200);
        EXPECT_EQ(r.header("X-Venice-Proxy-Session-Id"), "meta-1");
    }
    EXPECT_EQ(h().sim_requests("tee/attestation"), 1u);
}

TEST_F(AttestationRoute, RequestScopeAttestsEveryRequest) {
    h().post_chat(chat_body(kHermesModel, "a", false));
    h().post_chat(chat_body(kHermesModel, "b", false));
    EXPECT_EQ(h().sim_requests("tee/attestation"), 2u);
}

TEST_F(AttestationRoute, ConcurrentFirstRequestsFetchAttestationOnce) {
    std::vector<std::thread> threads;
    std::atomic<int> ok{0};
    for (int i = 0; i < 6; ++i)
        threads.emplace_back([&] {
            auto r = h().post_chat(chat_body(kHermesModel, "sim:scenario=long chunks=3 interval_ms=20", true),
                                   {{"X-Venice-Proxy-Session-Id", "shared-agent"}});
            if (r.status == 200) ok.fetch_add(1);
        });
    for (auto &t : threads) t.join();
    EXPECT_EQ(ok.load(), 6);
    EXPECT_EQ(h().sim_requests("tee/attestation"), 1u);
}

TEST_F(AttestationRoute, InvalidSessionHeaderIs400) {
    auto r = h().post_chat(chat_body(kHermesModel, "x", false), {{"X-Venice-Proxy-Session-Id", "bad\x01id"}});
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(r.header("X-Venice-Proxy-Error-Code"), "invalid_session_header");
}

TEST(AttestationSessions, MaxRequestsOneWorksAndReattestsEachRequest) {
    ProxyHarness h("[session]\nmax_requests = 1\n");
    const std::map<std::string, std::string> headers{{"X-Venice-Proxy-Session-Id", "one-shot"}};
    for (int i = 0; i < 2; ++i) {
        auto r = h.post_chat(chat_body(kHermesModel, "x", false), headers);
        EXPECT_EQ(r.status, 200) << r.body;
    }
    EXPECT_EQ(h.sim_requests("tee/attestation"), 2u);
}

TEST(AttestationSessions, DisabledFallbackRequiresAnId) {
    ProxyHarness h("[session]\nfallback_scope = \"disabled\"\n");
    auto r = h.post_chat(chat_body(kHermesModel, "x", false));
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(r.header("X-Venice-Proxy-Error-Code"), "session_identifier_missing");
}

TEST(AttestationSessions, RequireTdxWithoutDcapVerifierIsVerifierUnavailable) {
    ProxyHarness h("[attestation]\nrequire_tdx = true\n");
    auto r = h.post_chat(chat_body(kHermesModel, "x", false));
    EXPECT_EQ(r.status, 503);
    EXPECT_EQ(r.header("X-Venice-Proxy-Error-Code"), "attestation_verifier_unavailable");
    EXPECT_EQ(h.sim_requests("chat/completions"), 0u);
}

TEST(AttestationSessions, InstanceKeyDisabledIs500) {
    ProxyHarness h("[keys]\ngenerate_proxy_instance_key_on_startup = false\n");
    auto r = h.post_chat(chat_body(kHermesModel, "x", false));
    EXPECT_EQ(r.status, 500);
    EXPECT_EQ(r.header("X-Venice-Proxy-Error-Code"), "proxy_instance_key_unavailable");
    auto models = h.get("/v1/models");
    EXPECT_EQ(models.status, 200);
}

TEST(AttestationSessions, ConfiguredHeaderNameWinsOverMetadata) {
    ProxyHarness h("", [](vep::host::Config &c) { c.session.incoming_session_id_header = "X-Agent-Id"; });
    const std::string meta = R"("metadata":{"session_id":"meta-1"})";
    for (int i = 0; i < 2; ++i) {
        auto r = h.post_chat(chat_body(kHermesModel, "h", false, meta), {{"X-Agent-Id", "agent-9"}});
        ASSERT_EQ(r.status, 200) << r.body;
        EXPECT_EQ(r.header("X-Venice-Proxy-Session-Id"), "agent-9");
        EXPECT_EQ(r.header("X-Agent-Id"), "agent-9");
        EXPECT_EQ(r.header("X-Venice-Proxy-Session-Scope"), "agent");
    }
    EXPECT_EQ(h.sim_requests("tee/attestation"), 1u);
    // The default header name is just another header once a custom one is configured.
    auto other = h.post_chat(chat_body(kHermesModel, "h", false, meta), {{"X-Venice-Proxy-Session-Id", "ignored"}});
    EXPECT_EQ(other.header("X-Venice-Proxy-Session-Id"), "meta-1");
}

TEST(AttestationSessions, SessionScopedClientKeysWork) {
    ProxyHarness h("[keys]\nclient_key_scope = \"session\"\n");
    auto a = h.post_chat(chat_body(kHermesModel, "a", false), {{"X-Venice-Proxy-Session-Id", "s1"}});
    auto b = h.post_chat(chat_body(kHermesModel, "b", false), {{"X-Venice-Proxy-Session-Id", "s2"}});
    EXPECT_EQ(a.status, 200) << a.body;
    EXPECT_EQ(b.status, 200) << b.body;
}

TEST(AttestationAudit, EveryVerdictIsOneJsonLineWithoutPromptData) {
    const auto path = std::filesystem::temp_directory_path() / ("vep-audit-" + std::to_string(getpid()) + ".jsonl");
    std::filesystem::remove(path);
    {
        ProxyHarness h("", [&](vep::host::Config &c) { c.logging.audit_log = path.string(); });
        auto ok = h.post_chat(chat_body(kHermesModel, "audit-secret-prompt", true), {{"X-Venice-Proxy-Session-Id", "a1"}});
        ASSERT_EQ(ok.status, 200) << ok.body;
        h.sim().configure(R"({"attestation_fault":"nonce_mismatch"})");
        auto bad = h.post_chat(chat_body(kHermesModel, "audit-secret-prompt", false), {{"X-Venice-Proxy-Session-Id", "a2"}});
        ASSERT_EQ(bad.status, 502) << bad.body;
    }
    std::ifstream in(path);
    std::vector<vep::json::Value> records;
    std::string all;
    for (std::string line; std::getline(in, line);) {
        all += line + "\n";
        records.push_back(vep::json::parse(line));
    }
    std::filesystem::remove(path);
    ASSERT_EQ(records.size(), 2u) << all;
    const auto &verified = records[0];
    EXPECT_EQ(verified.find("event")->as_string(), "attestation");
    EXPECT_EQ(verified.find("model")->as_string(), kHermesModel);
    EXPECT_EQ(verified.find("outcome")->as_string(), "verified");
    EXPECT_EQ(verified.find("nonce")->as_string().size(), 64u);
    EXPECT_EQ(verified.find("key_fingerprint")->as_string().size(), 16u);
    EXPECT_FALSE(verified.find("checks")->as_array().empty());
    EXPECT_EQ(verified.find("code"), nullptr);
    const auto &rejected = records[1];
    EXPECT_EQ(rejected.find("outcome")->as_string(), "rejected");
    EXPECT_EQ(rejected.find("code")->as_string(), "attestation_nonce_mismatch");
    EXPECT_NE(rejected.find("nonce")->as_string(), verified.find("nonce")->as_string());
    // Fingerprints only: no prompt, no answer, no model public key.
    EXPECT_THAT(all, ::testing::Not(HasSubstr("audit-secret-prompt")));
    EXPECT_THAT(all, ::testing::Not(HasSubstr("model_public_key")));
}

namespace {

// The simulator's TDX quotes verified end to end by the tdx-dcap plugin with its test root pinned.
const char *kDcapToml = "[attestation]\nrequire_tdx = true\nverifiers = [\"envelope\", \"tdx-dcap\"]\n"
                        "[plugin_config.tdx-dcap]\n"
                        "root_ca_sha256 = [\"ef42cfe63ca6f80f20055fb5d3bfcb2a8ae6ac1e10b0635f0196c696b1dfcceb\"]\n";

class DcapRoute : public SharedHarnessTest<DcapRoute> {
  public:
    static std::string harness_toml() { return kDcapToml; }

  protected:
    void SetUp() override {
        SharedHarnessTest::SetUp();
        h().sim().configure(R"({"attestation_fault":"none","attestation_shape":"aci"})");
    }
};

class DcapFaults : public DcapRoute, public ::testing::WithParamInterface<AttestationFault> {};

}  // namespace

TEST_F(DcapRoute, RequireTdxPassesWithTheTestRootPinned) {
    for (const char *shape : {"aci", "flat"}) {
        h().sim().configure(std::string(R"({"attestation_shape":")") + shape + "\"}");
        auto r = h().post_chat(chat_body(kGlmModel, "verified quote", true));
        ASSERT_EQ(r.status, 200) << shape << ": " << r.body;
        EXPECT_EQ(r.header("X-Venice-Proxy-TDX-Verified"), "true");
        EXPECT_EQ(r.header("X-Venice-Proxy-TDX-Debug"), "false");
        EXPECT_EQ(streamed_content(r), "verified quote");
    }
}

TEST_P(DcapFaults, FailsClosedWithoutCallingChat) {
    h().sim().configure(std::string(R"({"attestation_fault":")") + GetParam().fault + "\"}");
    auto r = h().post_chat(chat_body(kHermesModel, "secret", false));
    EXPECT_EQ(r.status, 502) << r.body;
    EXPECT_EQ(r.header("X-Venice-Proxy-Error-Code"), GetParam().code);
    EXPECT_EQ(h().sim_requests("chat/completions"), 0u);
}

INSTANTIATE_TEST_SUITE_P(
    Faults, DcapFaults,
    ::testing::Values(AttestationFault{"bad_quote_signature", "attestation_invalid_tdx_evidence"},
                      AttestationFault{"debug_quote", "attestation_debug_mode_detected"},
                      AttestationFault{"nonce_mismatch", "attestation_nonce_mismatch"},
                      AttestationFault{"report_data_address_mismatch", "attestation_invalid_tdx_evidence"},
                      AttestationFault{"address_mismatch", "attestation_signing_address_mismatch"},
                      AttestationFault{"model_mismatch", "attestation_model_mismatch"},
                      AttestationFault{"not_verified", "attestation_upstream_not_verified"}),
    [](const auto &info) { return std::string(info.param.fault); });

TEST(DcapRouteIntelRoot, TestQuotesFailAgainstTheRealIntelRoot) {
    ProxyHarness h("[attestation]\nrequire_tdx = true\nverifiers = [\"envelope\", \"tdx-dcap\"]\n");
    auto r = h.post_chat(chat_body(kHermesModel, "x", false));
    EXPECT_EQ(r.status, 502) << r.body;
    EXPECT_EQ(r.header("X-Venice-Proxy-Error-Code"), "attestation_invalid_tdx_evidence");
    EXPECT_THAT(r.json().find("error")->find("message")->as_string(), HasSubstr("pck_chain"));
}
