// `venice-e2ee-proxy attest`: offline verification of a real attestation response (the NEAR AI
// model attestation in the flat shape Venice's gateway emits) and of bare real TDX quotes, live
// verification against the venice-sim binary, and usage errors. Every run goes through the real
// binary, config loader and verifier plugins; the JSON report is checked check by check.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>

#include "child_process.hpp"
#include "vep/json.hpp"

using namespace vep::test;
using ::testing::HasSubstr;
using vep::json::Value;
using namespace std::chrono_literals;

namespace {

const std::string kProxy = std::string(VEP_BIN_DIR) + "/venice-e2ee-proxy";
const std::string kSim = std::string(VEP_BIN_DIR) + "/venice-sim";
const std::string kData = std::string(VEP_SOURCE_DIR) + "/tests/data/attestation/";
constexpr const char *kNearNonce = "deadbeef00000000000000000000000000000000000000000000000000000001";
constexpr const char *kNearModel = "openai/gpt-oss-120b";
constexpr const char *kNearTime = "1776000000";  // when the NEAR AI report was current

std::string slurp(const std::string &path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

// A scratch directory for evidence and config files, removed afterwards.
class AttestCli : public ::testing::Test {
  protected:
    void SetUp() override {
        dir_ = std::filesystem::temp_directory_path() /
               ("vep-attest-" + std::to_string(getpid()) + "-" +
                ::testing::UnitTest::GetInstance()->current_test_info()->name());
        std::filesystem::create_directories(dir_);
    }
    void TearDown() override { std::filesystem::remove_all(dir_); }

    std::string write(const std::string &name, const std::string &content) const {
        const auto path = (dir_ / name).string();
        std::ofstream(path, std::ios::binary | std::ios::trunc) << content;
        return path;
    }

    // A config with the given [attestation] and [plugin_config.tdx-dcap] bodies, plugins from the build.
    std::string config(const std::string &attestation, const std::string &tdx_dcap = "") const {
        return write("attest.toml", "[attestation]\n" + attestation + "\n[plugins]\ndirectories = [\"" +
                                        std::string(VEP_PLUGIN_DIR) + "\"]\n[plugin_config.tdx-dcap]\n" + tdx_dcap +
                                        "\n");
    }

    struct Run {
        int status = -1;
        std::string output;
        Value report;  // the JSON line, or null when there was none
    };

    static Run attest(const std::vector<std::string> &args, const std::map<std::string, std::string> &env = {}) {
        std::vector<std::string> argv{"attest"};
        argv.insert(argv.end(), args.begin(), args.end());
        ChildProcess p(kProxy, argv, env);
        p.wait_for_line("\x01never", 30s);
        Run r;
        r.status = p.wait_exit(10s).value_or(-1);
        r.output = p.output();
        std::istringstream lines(r.output);
        for (std::string line; std::getline(lines, line);)
            if (line.rfind("{\"mode\"", 0) == 0) r.report = vep::json::parse(line);
        return r;
    }

    // The NEAR AI model attestation in Venice's flat legacy shape; with `workload`, also its event
    // log and info (app_compose, vm_config) for the workload policy.
    std::string near_evidence(const std::string &nonce = kNearNonce, bool workload = false) const {
        const Value report = vep::json::parse(slurp(kData + "nearai_cloud_report_gpt_oss_120b.json"));
        const Value &m = report.find("model_attestations")->as_array().at(0);
        Value body = Value::object();
        body.set("verified", true);
        body.set("nonce", nonce);
        body.set("model", m.find("model_name")->as_string());
        for (const char *field : {"signing_public_key", "signing_address", "intel_quote", "nvidia_payload"})
            body.set(field, m.find(field)->as_string());
        if (workload) {
            body.set("event_log", *m.find("event_log"));
            body.set("info", *m.find("info"));
        }
        return write("evidence.json", vep::json::dump(body));
    }

    std::filesystem::path dir_;
};

// The named check's ok flag (and which verifier ran it), or nullopt when it did not run.
std::optional<bool> check(const Value &report, const std::string &verifier, const std::string &name) {
    const Value *checks = report.find("report") ? report.find("report")->find("checks") : nullptr;
    if (!checks) return std::nullopt;
    for (const auto &c : checks->as_array())
        if (c.find("verifier")->as_string() == verifier && c.find("name")->as_string() == name)
            return c.find("ok")->as_bool();
    return std::nullopt;
}

const Value *field(const Value &report, std::initializer_list<const char *> path) {
    const Value *cur = report.find("report");
    for (const char *k : path) cur = cur ? cur->find(k) : nullptr;
    return cur;
}

const char *kAllVerifiers = "verifiers = [\"envelope\", \"tdx-dcap\", \"nvidia-evidence\"]\nrequire_tdx = true\n"
                            "require_nvidia = \"required\"";

TEST_F(AttestCli, RealNearAiEvidenceVerifiesEveryLayer) {
    const Run r = attest({"--evidence", near_evidence(), "--nonce", kNearNonce, "--model", kNearModel, "--config",
                          config(kAllVerifiers), "--time", kNearTime});
    ASSERT_EQ(r.status, 0) << r.output;
    ASSERT_TRUE(r.report.is_object()) << r.output;
    EXPECT_EQ(r.report.find("outcome")->as_string(), "verified");
    EXPECT_EQ(r.report.find("mode")->as_string(), "evidence");
    EXPECT_EQ(*field(r.report, {"tdx", "verified"}), Value(true));
    EXPECT_EQ(*field(r.report, {"tdx", "report_data_binding"}), Value("raw"));
    EXPECT_EQ(*field(r.report, {"nvidia", "status"}), Value("verified"));
    EXPECT_EQ(field(r.report, {"model_public_key"})->as_string().size(), 130u);
    for (const char *name : {"quote_signature", "qe_report_signature", "pck_chain", "report_data_binding"})
        EXPECT_EQ(check(r.report, "tdx-dcap", name), std::optional<bool>(true)) << name;
    EXPECT_THAT(r.output, ::testing::Not(HasSubstr("warning")));
}

// GPU RIM checks configured from TOML ([plugin_config.nvidia-evidence]), with the committed test
// RIMs of tests/data/gpu: every GPU's checks appear by name in the report; a RIM directory
// without the VBIOS RIM rejects the attestation at gpu[0].rim_vbios.
TEST_F(AttestCli, GpuRimChecksFromTomlAreReportedByName) {
    const std::string rims = std::string(VEP_SOURCE_DIR) + "/tests/data/gpu/rims";
    const auto gpu_config = [&](const std::string &directory) {
        return config(kAllVerifiers, "\n[plugin_config.nvidia-evidence]\nrim = \"required\"\nrim_directory = \"" + directory +
                                         "\"\nrim_root_ca_sha256 = "
                                         "[\"a14884c1bf4183c3e8680c345d55eb7643068cf0ae709d09e8e0cbe029b6d5e7\"]\n");
    };
    const Run held = attest({"--evidence", near_evidence(), "--nonce", kNearNonce, "--model", kNearModel, "--config",
                             gpu_config(rims), "--time", kNearTime});
    ASSERT_EQ(held.status, 0) << held.output;
    EXPECT_EQ(*field(held.report, {"nvidia", "rim"}), Value("required"));
    for (const char *name : {"gpu[0].rim_driver", "gpu[0].rim_vbios", "gpu[0].measurements", "gpu[7].measurements"})
        EXPECT_EQ(check(held.report, "nvidia-evidence", name), std::optional<bool>(true)) << name;

    std::filesystem::create_directories(dir_ / "rims");
    std::filesystem::copy_file(rims + "/NV_GPU_DRIVER_GH100_570.172.08.json", dir_ / "rims" / "NV_GPU_DRIVER_GH100_570.172.08.json");
    const Run missing = attest({"--evidence", near_evidence(), "--nonce", kNearNonce, "--model", kNearModel, "--config",
                                gpu_config((dir_ / "rims").string()), "--time", kNearTime});
    EXPECT_EQ(missing.status, 1) << missing.output;
    EXPECT_EQ(missing.report.find("code")->as_string(), "attestation_invalid_nvidia_evidence");
    EXPECT_EQ(check(missing.report, "nvidia-evidence", "gpu[0].rim_driver"), std::optional<bool>(true));
    EXPECT_EQ(check(missing.report, "nvidia-evidence", "gpu[0].rim_vbios"), std::optional<bool>(false));
}

TEST_F(AttestCli, WrongNonceIsRejectedByEachLayer) {
    std::string other = kNearNonce;
    other.back() = '2';
    const std::string evidence = near_evidence(other);
    const Run r = attest({"--evidence", evidence, "--nonce", other, "--model", kNearModel, "--config",
                          config(kAllVerifiers), "--time", kNearTime});
    EXPECT_EQ(r.status, 1) << r.output;
    ASSERT_TRUE(r.report.is_object()) << r.output;
    EXPECT_EQ(r.report.find("outcome")->as_string(), "rejected");
    EXPECT_EQ(r.report.find("code")->as_string(), "attestation_nonce_mismatch");  // the envelope sees it first

    const Run dcap = attest({"--evidence", evidence, "--nonce", other, "--model", kNearModel, "--config",
                             config("verifiers = [\"tdx-dcap\"]"), "--time", kNearTime});
    EXPECT_EQ(dcap.status, 1) << dcap.output;
    EXPECT_EQ(dcap.report.find("code")->as_string(), "attestation_invalid_tdx_evidence");
    EXPECT_EQ(check(dcap.report, "tdx-dcap", "pck_chain"), std::optional<bool>(true));
    EXPECT_EQ(check(dcap.report, "tdx-dcap", "report_data_binding"), std::optional<bool>(false));
}

// The NEAR AI model TD's compose hash and app id (its RTMR3 events).
constexpr const char *kNearComposeHash = "242a62724303cc32f364da0fc92738706b0078e7587821b7ba3e75488223797b";
constexpr const char *kNearAppId = "2c0a0c96cb6dbd659bf1446e2f3fce58172ff91b";

std::string workload_pins(const std::string &models, const std::string &compose_hash) {
    return "[[plugin_config.tdx-dcap.workload]]\nmodels = [\"" + models + "\"]\ncompose_hash = [\"" + compose_hash +
           "\"]\napp_id = [\"" + kNearAppId + "\"]\n";
}

// The report's `pins` entry called `name`, or null.
const Value *pin(const Value &report, const std::string &name) {
    for (const auto &p : report.find("pins")->as_array())
        if (p.find("name")->as_string() == name) return &p;
    return nullptr;
}

TEST_F(AttestCli, WorkloadPinsFromTomlArePrintedAsHeldOrNot) {
    const std::string evidence = near_evidence(kNearNonce, true);
    const Run held = attest({"--evidence", evidence, "--nonce", kNearNonce, "--model", kNearModel, "--config",
                             config(kAllVerifiers, workload_pins("openai/*", kNearComposeHash)), "--time", kNearTime});
    ASSERT_EQ(held.status, 0) << held.output;
    for (const char *name : {"workload_events", "workload_compose_hash", "workload_app_id", "dev_os_image"}) {
        const Value *p = pin(held.report, name);
        ASSERT_NE(p, nullptr) << name << held.output;
        EXPECT_EQ(*p->find("held"), Value(true)) << name;
    }
    EXPECT_EQ(*field(held.report, {"tdx", "workload", "compose_hash"}), Value(kNearComposeHash));
    EXPECT_EQ(*field(held.report, {"tdx", "workload", "policy"}), Value("openai/*"));

    std::string other = kNearComposeHash;
    other[0] = '3';
    const Run broken = attest({"--evidence", evidence, "--nonce", kNearNonce, "--model", kNearModel, "--config",
                               config(kAllVerifiers, workload_pins("openai/*", other)), "--time", kNearTime});
    EXPECT_EQ(broken.status, 1) << broken.output;
    EXPECT_EQ(broken.report.find("code")->as_string(), "attestation_tdx_measurement_rejected");
    ASSERT_NE(pin(broken.report, "workload_compose_hash"), nullptr) << broken.output;
    EXPECT_EQ(*pin(broken.report, "workload_compose_hash")->find("held"), Value(false));

    const Run elsewhere = attest({"--evidence", evidence, "--nonce", kNearNonce, "--model", kNearModel, "--config",
                                  config(kAllVerifiers, workload_pins("qwen*", other)), "--time", kNearTime});
    EXPECT_EQ(elsewhere.status, 0) << elsewhere.output;
    EXPECT_EQ(pin(elsewhere.report, "workload_compose_hash"), nullptr);
}

TEST_F(AttestCli, RequireTdxWithoutTheDcapVerifierIsRejected) {
    const Run r = attest({"--evidence", near_evidence(), "--nonce", kNearNonce, "--model", kNearModel, "--config",
                          config("verifiers = [\"envelope\"]\nrequire_tdx = true"), "--time", kNearTime});
    EXPECT_EQ(r.status, 1) << r.output;
    EXPECT_EQ(r.report.find("code")->as_string(), "attestation_verifier_unavailable");
}

TEST_F(AttestCli, BareV4QuoteReportsChainAndTcbThenTheMissingBinding) {
    const std::string dcap = "collateral_file = \"" + kData + "dcap-qvl_tdx_quote_v4_collateral.json\"\n";
    const Run r = attest({"--quote", kData + "dcap-qvl_tdx_quote_v4.bin", "--nonce", "00", "--config",
                          config("verifiers = [\"envelope\", \"tdx-dcap\"]", dcap), "--time", "1751000000"});
    EXPECT_EQ(r.status, 1) << r.output;
    ASSERT_TRUE(r.report.is_object()) << r.output;
    EXPECT_EQ(r.report.find("mode")->as_string(), "quote");
    for (const char *name : {"quote_format", "quote_signature", "qe_report_binding", "qe_report_signature", "pck_chain",
                             "td_debug", "tcb_status"})
        EXPECT_EQ(check(r.report, "tdx-dcap", name), std::optional<bool>(true)) << name;
    EXPECT_EQ(*field(r.report, {"tdx", "tcb_status"}), Value("UpToDate"));
    EXPECT_EQ(*field(r.report, {"tdx", "version"}), Value(4));
    EXPECT_EQ(check(r.report, "envelope", "response_shape"), std::nullopt);  // only tdx-dcap runs for a bare quote
    EXPECT_EQ(r.report.find("code")->as_string(), "attestation_missing_required_field");

    // Its REPORTDATA starts with these 20 bytes but bytes 20..32 are not zero: not a Venice binding.
    const Run bound = attest({"--quote", kData + "dcap-qvl_tdx_quote_v4.bin", "--nonce", "00", "--signing-address",
                              "0x9a9d48e7f6799642d3d1b34e1e5e1742d4bb02dd", "--config",
                              config("verifiers = [\"envelope\", \"tdx-dcap\"]", dcap), "--time", "1751000000"});
    EXPECT_EQ(bound.status, 1);
    EXPECT_THAT(bound.report.find("message")->as_string(), HasSubstr("REPORTDATA[20..32] is not zero"));
}

TEST_F(AttestCli, BareV5OutdatedQuoteIsRejectedForItsTcb) {
    const std::string dcap = "collateral_file = \"" + kData + "dcap-qvl_tdx_quote_v5_outdated_collateral.json\"\n";
    const Run r = attest({"--quote", kData + "dcap-qvl_tdx_quote_v5_outdated.bin", "--nonce", "00", "--config",
                          config("verifiers = [\"tdx-dcap\"]", dcap), "--time", "1772000000"});
    EXPECT_EQ(r.status, 1) << r.output;
    EXPECT_EQ(*field(r.report, {"tdx", "version"}), Value(5));
    EXPECT_EQ(check(r.report, "tdx-dcap", "pck_chain"), std::optional<bool>(true));
    EXPECT_EQ(check(r.report, "tdx-dcap", "tcb_status"), std::optional<bool>(false));
    EXPECT_EQ(r.report.find("code")->as_string(), "attestation_tdx_tcb_rejected");
}

TEST_F(AttestCli, FlippedQuoteByteFailsTheQuoteSignature) {
    std::string quote = slurp(kData + "dcap-qvl_tdx_quote_v4.bin");
    quote[600] = static_cast<char>(quote[600] ^ 0x01);  // inside the TD report body (signed region)
    const Run r = attest({"--quote", write("flipped.bin", quote), "--nonce", "00", "--config",
                          config("verifiers = [\"tdx-dcap\"]"), "--time", "1751000000"});
    EXPECT_EQ(r.status, 1) << r.output;
    EXPECT_EQ(check(r.report, "tdx-dcap", "quote_signature"), std::optional<bool>(false));
    EXPECT_EQ(check(r.report, "tdx-dcap", "pck_chain"), std::nullopt);
}

TEST_F(AttestCli, LiveAgainstVeniceSimVerifiesAndFailsClosedOnAFault) {
    ChildProcess sim(kSim, {"--port", "0"});
    const auto line = sim.wait_for_line("listening on", 30s);
    ASSERT_TRUE(line) << sim.output();
    const std::string url = line->substr(line->find("http"));
    const std::map<std::string, std::string> env{{"VENICE_E2EE_PROXY__VENICE__BASE_URL", url},
                                                 {"VENICE_E2EE_PROXY__VENICE__API_KEY", "sim-key"}};
    const std::string demo = std::string(VEP_SOURCE_DIR) + "/config/demo-sim.toml";
    const Run ok = attest({"--live", "e2ee-qwen3-235b-a22b-p", "--config", demo}, env);
    ASSERT_EQ(ok.status, 0) << ok.output;
    EXPECT_EQ(ok.report.find("mode")->as_string(), "live");
    EXPECT_EQ(ok.report.find("nonce")->as_string().size(), 64u);
    EXPECT_EQ(*field(ok.report, {"tdx", "verified"}), Value(true));

    const auto colon = url.rfind(':');
    Poco::Net::HTTPClientSession admin("127.0.0.1", static_cast<uint16_t>(std::stoi(url.substr(colon + 1))));
    Poco::Net::HTTPRequest req("POST", "/_sim/config", Poco::Net::HTTPMessage::HTTP_1_1);
    const std::string body = R"({"attestation_fault":"nonce_mismatch"})";
    req.setContentType("application/json");
    req.setContentLength(static_cast<std::streamsize>(body.size()));
    admin.sendRequest(req) << body;
    Poco::Net::HTTPResponse resp;
    admin.receiveResponse(resp);
    ASSERT_EQ(resp.getStatus(), Poco::Net::HTTPResponse::HTTP_OK);

    const Run bad = attest({"--live", "e2ee-qwen3-235b-a22b-p", "--config", demo}, env);
    EXPECT_EQ(bad.status, 1) << bad.output;
    EXPECT_EQ(bad.report.find("outcome")->as_string(), "rejected");
    EXPECT_EQ(bad.report.find("code")->as_string(), "attestation_nonce_mismatch");
}

TEST_F(AttestCli, UsageErrorsExitTwo) {
    EXPECT_EQ(attest({}).status, 2);
    EXPECT_EQ(attest({"--evidence", "x.json", "--nonce", "00"}).status, 2);           // no model
    EXPECT_EQ(attest({"--evidence", "x.json", "--model", "m"}).status, 2);            // no nonce
    EXPECT_EQ(attest({"--quote", "q", "--nonce", "zz"}).status, 2);                   // nonce not hex
    EXPECT_EQ(attest({"--quote", "q", "--live", "m", "--nonce", "00"}).status, 2);    // two sources
    EXPECT_EQ(attest({"--live", "m", "--bogus", "1"}).status, 2);
    const Run missing = attest({"--evidence", (dir_ / "absent.json").string(), "--nonce", "00", "--model", "m",
                                "--config", config("verifiers = [\"envelope\"]")});
    EXPECT_EQ(missing.status, 1);
    EXPECT_THAT(missing.output, HasSubstr("cannot read"));
}

}  // namespace
