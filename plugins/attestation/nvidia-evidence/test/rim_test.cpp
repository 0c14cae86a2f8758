// RIM comparison on the real NEAR AI 8-GPU evidence: RIMs whose golden values are the measured
// ones, signed with a test key under a pinned test root, pass from files and from a RIM service
// on 127.0.0.1 (fetched once, then cached); an altered manifest, a manifest with another golden
// value, one signed under an unpinned root, one for another id, a missing one, and an
// unreachable or oversized service response each fail closed under the check's name. The same
// RIMs in NVIDIA's SWID format pass as .swidtag files and as RIM service answers; an altered one fails.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <set>

#include "fake_pccs.hpp"
#include "nvidia_fixture.hpp"
#include "rim_comparison.hpp"
#include "spdm_measurements.hpp"
#include "test_pki.hpp"
#include "vep/attestation/base64.hpp"

using namespace nvidia_test;
using vep::json::Value;

namespace {

struct RimSet {
    TestCert root, signer;
    std::map<std::string, std::string> files;       // RIM id -> envelope text
    std::map<std::string, std::string> swid_files;  // RIM id -> the same RIM in NVIDIA's SWID format
    std::string driver_id, vbios_id;           // of GPU 0
};

// One driver and one VBIOS RIM per distinct id in the NEAR evidence; each golden value list holds
// every value the GPUs measured at that index. Even indices go to the driver RIM, odd ones to the
// VBIOS RIM (NVIDIA splits them by component; any split that does not overlap is valid).
RimSet make_rims(const Value &payload) {
    RimSet set;
    set.root = make_cert("Test RIM Root", nullptr);
    set.signer = make_cert("Test RIM Signer", &set.root, false);
    std::map<std::string, std::map<unsigned, std::set<std::vector<uint8_t>>>> golden;  // id -> index -> values
    std::map<std::string, std::pair<std::string, std::string>> meta;                  // id -> component, version
    for (size_t i = 0; i < payload.find("evidence_list")->as_array().size(); ++i) {
        const auto m = vep::nvidia::parse_spdm_measurements(evidence_of(payload, i));
        const std::string driver = vep::nvidia::driver_rim_id(m, "HOPPER");
        const std::string vbios = vep::nvidia::vbios_rim_id(m);
        if (i == 0) {
            set.driver_id = driver;
            set.vbios_id = vbios;
        }
        meta[driver] = {"driver", m.driver_version};
        meta[vbios] = {"vbios", vep::nvidia::vbios_version_text(m)};
        for (const auto &[index, value] : m.blocks) golden[index % 2 == 0 ? driver : vbios][index].insert(value);
    }
    for (const auto &[id, indices] : golden) {
        Value list = Value::array();
        for (const auto &[index, values] : indices) {
            Value entry = Value::object();
            entry.set("index", index);
            entry.set("active", true);
            Value alternatives = Value::array();
            for (const auto &v : values) alternatives.push_back(vep::hex::encode(v.data(), v.size()));
            entry.set("values", std::move(alternatives));
            list.push_back(std::move(entry));
        }
        Value body = Value::object();
        body.set("rim_id", id);
        body.set("component", meta[id].first);
        body.set("version", meta[id].second);
        body.set("measurements", std::move(list));
        set.files[id] = signed_rim(vep::json::dump(body), set.signer, set.signer.pem() + set.root.pem());
        set.swid_files[id] = signed_swid_rim(meta[id].second, indices, set.signer, {&set.signer, &set.root});
    }
    return set;
}

class TempDir {
  public:
    TempDir() {
        path_ = std::filesystem::temp_directory_path() / ("vep-rim-" + std::to_string(::getpid()) + "-" + std::to_string(counter_++));
        std::filesystem::create_directories(path_);
    }
    ~TempDir() { std::filesystem::remove_all(path_); }
    std::string path() const { return path_.string(); }
    void write(const std::string &name, const std::string &text) const {
        std::ofstream(path_ / name, std::ios::binary) << text;
    }

  private:
    static inline int counter_ = 0;
    std::filesystem::path path_;
};

std::string config_for(const RimSet &rims, const std::string &source_key, const std::string &source) {
    return R"({"require_nvidia":"required","rim":"required","rim_root_ca_sha256":[")" + rims.root.sha256() + R"("],")" +
           source_key + R"(":")" + source + R"(","rim_timeout_ms":1500})";
}

const Value *check_named(const vep::client::AttestationOutcome &o, const std::string &name) {
    for (const auto &c : o.report.find("checks")->as_array())
        if (c.find("name")->as_string() == name) return &c;
    return nullptr;
}

// `envelope` with one hex digit of its payload's first golden value changed, signature kept.
std::string altered_payload(const std::string &envelope) {
    Value e = vep::json::parse(envelope);
    const auto bytes = *vep::attestation::base64_decode(e.find("payload")->as_string());
    std::string payload(bytes.begin(), bytes.end());
    const size_t at = payload.find("\"values\":[\"") + 11;
    payload[at] = payload[at] == '0' ? '1' : '0';
    e.set("payload", base64(std::vector<uint8_t>(payload.begin(), payload.end())));
    return vep::json::dump(e);
}

}  // namespace

TEST(GpuRim, CommittedTestManifestsPassAndAnAlteredOneFails) {
    // tests/data/gpu: generated by generate.py, root pin from its README
    const std::string pin = "a14884c1bf4183c3e8680c345d55eb7643068cf0ae709d09e8e0cbe029b6d5e7";
    const std::string committed = std::string(VEP_SOURCE_DIR) + "/tests/data/gpu/rims";
    const std::string config = R"({"require_nvidia":"required","rim":"required","rim_root_ca_sha256":[")" + pin +
                               R"("],"rim_directory":")";
    const auto o = Harness(config + committed + "\"}").run(body_with(near_payload()));
    ASSERT_TRUE(o.ok) << o.code << ": " << o.message;
    EXPECT_TRUE(check_named(o, "gpu[7].measurements")->find("ok")->as_bool());

    TempDir dir;
    for (const auto &entry : std::filesystem::directory_iterator(committed)) {
        std::ifstream in(entry.path(), std::ios::binary);
        const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        const bool vbios = entry.path().filename().string().rfind("NV_GPU_VBIOS_", 0) == 0;
        dir.write(entry.path().filename().string(), vbios ? altered_payload(text) : text);
    }
    const auto altered = Harness(config + dir.path() + "\"}").run(body_with(near_payload()));
    EXPECT_EQ(altered.code, "attestation_invalid_nvidia_evidence");
    EXPECT_NE(altered.message.find("gpu[0].rim_vbios"), std::string::npos) << altered.message;
    EXPECT_NE(altered.message.find("signature does not verify"), std::string::npos) << altered.message;
}

TEST(GpuRim, IdsComeFromTheSignedOpaqueData) {
    const auto m = vep::nvidia::parse_spdm_measurements(evidence_of(near_payload(), 0));
    EXPECT_EQ(vep::nvidia::driver_rim_id(m, "HOPPER"), "NV_GPU_DRIVER_GH100_570.172.08");
    EXPECT_EQ(vep::nvidia::vbios_rim_id(m), "NV_GPU_VBIOS_G520_0280_895_9600CF0002");
    EXPECT_EQ(vep::nvidia::vbios_version_text(m), "96.00.CF.00.02");
    EXPECT_EQ(m.blocks.size(), 64u);
    EXPECT_THROW(vep::nvidia::driver_rim_id(m, "AMPERE"), vep::Failure);
}

TEST(GpuRim, MatchingManifestsFromFilesPass) {
    const RimSet rims = make_rims(near_payload());
    TempDir dir;
    for (const auto &[id, text] : rims.files) dir.write(id + ".json", text);
    const auto o = Harness(config_for(rims, "rim_directory", dir.path())).run(body_with(near_payload()));
    ASSERT_TRUE(o.ok) << o.code << ": " << o.message;
    EXPECT_EQ(o.report.find("nvidia")->find("rim")->as_string(), "required");
    for (int gpu = 0; gpu < 8; ++gpu)
        for (const char *suffix : {".rim_driver", ".rim_vbios", ".measurements", ".secure_boot", ".debug_disabled"}) {
            const std::string name = "gpu[" + std::to_string(gpu) + "]" + suffix;
            const Value *c = check_named(o, name);
            ASSERT_NE(c, nullptr) << name;
            EXPECT_TRUE(c->find("ok")->as_bool()) << name;
        }
    EXPECT_NE(check_named(o, "gpu[0].measurements")->find("detail")->as_string().find("32 driver and 32 VBIOS"),
              std::string::npos);
}

TEST(GpuRim, AlteredManifestFails) {
    const RimSet rims = make_rims(near_payload());
    TempDir dir;
    for (const auto &[id, text] : rims.files) dir.write(id + ".json", text);
    dir.write(rims.driver_id + ".json", altered_payload(rims.files.at(rims.driver_id)));
    const auto o = Harness(config_for(rims, "rim_directory", dir.path())).run(body_with(near_payload()));
    EXPECT_EQ(o.code, "attestation_invalid_nvidia_evidence");
    EXPECT_NE(o.message.find("gpu[0].rim_driver"), std::string::npos) << o.message;
    EXPECT_NE(o.message.find("signature does not verify"), std::string::npos) << o.message;
    ASSERT_NE(check_named(o, "gpu[0].rim_driver"), nullptr);
    EXPECT_FALSE(check_named(o, "gpu[0].rim_driver")->find("ok")->as_bool());
    EXPECT_EQ(check_named(o, "gpu[0].secure_boot"), nullptr);  // never claimed without a golden match
}

TEST(GpuRim, SignedManifestWithAnotherGoldenValueFails) {
    const RimSet rims = make_rims(near_payload());
    const auto m = vep::nvidia::parse_spdm_measurements(evidence_of(near_payload(), 0));
    std::vector<std::pair<unsigned, std::vector<uint8_t>>> golden;
    for (const auto &[index, value] : m.blocks)
        if (index % 2 == 1) golden.emplace_back(index, value);
    golden[3].second[0] ^= 0x01;  // a VBIOS measurement NVIDIA would not have released
    TempDir dir;
    for (const auto &[id, text] : rims.files) dir.write(id + ".json", text);
    dir.write(rims.vbios_id + ".json", signed_rim(rim_payload(rims.vbios_id, "vbios", "96.00.CF.00.02", golden), rims.signer,
                                                  rims.signer.pem() + rims.root.pem()));
    const auto o = Harness(config_for(rims, "rim_directory", dir.path())).run(body_with(near_payload()));
    EXPECT_EQ(o.code, "attestation_invalid_nvidia_evidence");
    EXPECT_NE(o.message.find("gpu[0].measurements"), std::string::npos) << o.message;
    EXPECT_NE(o.message.find("measurement " + std::to_string(golden[3].first) + " "), std::string::npos) << o.message;
    ASSERT_NE(check_named(o, "gpu[0].rim_vbios"), nullptr);  // the RIM itself was genuine
    EXPECT_TRUE(check_named(o, "gpu[0].rim_vbios")->find("ok")->as_bool());
}

TEST(GpuRim, UnpinnedSignerWrongIdOverlapAndMissingFail) {
    const RimSet rims = make_rims(near_payload());
    const auto run = [&](const std::string &driver_text) {
        TempDir dir;
        for (const auto &[id, text] : rims.files) dir.write(id + ".json", text);
        if (driver_text.empty()) std::filesystem::remove(dir.path() + "/" + rims.driver_id + ".json");
        else dir.write(rims.driver_id + ".json", driver_text);
        return Harness(config_for(rims, "rim_directory", dir.path())).run(body_with(near_payload()));
    };
    // same content, signed under a root that is not pinned
    const TestCert other_root = make_cert("Test RIM Root", nullptr);
    const TestCert other_signer = make_cert("Test RIM Signer", &other_root, false);
    const Value original = vep::json::parse(rims.files.at(rims.driver_id));
    const auto payload_bytes = *vep::attestation::base64_decode(original.find("payload")->as_string());
    const std::string payload(payload_bytes.begin(), payload_bytes.end());
    auto o = run(signed_rim(payload, other_signer, other_signer.pem() + other_root.pem()));
    EXPECT_NE(o.message.find("not a pinned root"), std::string::npos) << o.message;
    // the VBIOS RIM served under the driver RIM's name
    o = run(rims.files.at(rims.vbios_id));
    EXPECT_NE(o.message.find("is " + rims.vbios_id), std::string::npos) << o.message;
    // a driver RIM that claims an index the VBIOS RIM claims
    auto driver_golden = std::vector<std::pair<unsigned, std::vector<uint8_t>>>{
        {1, vep::nvidia::parse_spdm_measurements(evidence_of(near_payload(), 0)).blocks.at(1)}};
    o = run(signed_rim(rim_payload(rims.driver_id, "driver", "570.172.08", driver_golden), rims.signer,
                       rims.signer.pem() + rims.root.pem()));
    EXPECT_NE(o.message.find("active in both"), std::string::npos) << o.message;
    // no RIM at all
    o = run("");
    EXPECT_NE(o.message.find("not found"), std::string::npos) << o.message;
    EXPECT_NE(o.message.find("gpu[0].rim_driver"), std::string::npos) << o.message;
}

TEST(GpuRim, ServiceFetchIsBoundedAndCachedById) {
    const RimSet rims = make_rims(near_payload());
    tdx_test::FakePccs service;
    for (const auto &[id, text] : rims.files) service.set("/rims/" + id, canned(200, text));
    const Harness harness(config_for(rims, "rim_service_url", service.url() + "/rims/"));
    auto o = harness.run(body_with(near_payload()));
    ASSERT_TRUE(o.ok) << o.message;
    EXPECT_EQ(service.hits("/rims/" + rims.driver_id), 1);  // eight GPUs, one fetch
    EXPECT_EQ(service.total_hits(), static_cast<int>(rims.files.size()));
    o = harness.run(body_with(near_payload()));
    ASSERT_TRUE(o.ok) << o.message;
    EXPECT_EQ(service.total_hits(), static_cast<int>(rims.files.size()));  // served from the cache

    // a fresh instance: 404, a response slower than rim_timeout_ms, an oversized body
    service.set("/rims/" + rims.driver_id, canned(404));
    o = Harness(config_for(rims, "rim_service_url", service.url() + "/rims/")).run(body_with(near_payload()));
    EXPECT_NE(o.message.find("HTTP 404"), std::string::npos) << o.message;
    service.set("/rims/" + rims.driver_id, canned(200, rims.files.at(rims.driver_id), std::chrono::milliseconds(3000)));
    const auto started = std::chrono::steady_clock::now();
    o = Harness(config_for(rims, "rim_service_url", service.url() + "/rims/")).run(body_with(near_payload()));
    EXPECT_FALSE(o.ok);
    EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::milliseconds(2900));
    service.set("/rims/" + rims.driver_id, canned(200, std::string(1024 * 1024 + 1, ' ')));
    o = Harness(config_for(rims, "rim_service_url", service.url() + "/rims/")).run(body_with(near_payload()));
    EXPECT_NE(o.message.find("larger than"), std::string::npos) << o.message;
}

TEST(GpuRim, NvidiaFormatManifestsPassAsFilesAndServiceAnswersAndAnAlteredOneFails) {
    const RimSet rims = make_rims(near_payload());
    TempDir dir;
    for (const auto &[id, text] : rims.swid_files) dir.write(id + ".swidtag", text);
    auto o = Harness(config_for(rims, "rim_directory", dir.path())).run(body_with(near_payload()));
    ASSERT_TRUE(o.ok) << o.code << ": " << o.message;
    EXPECT_NE(check_named(o, "gpu[7].measurements")->find("detail")->as_string().find("32 driver and 32 VBIOS"),
              std::string::npos);

    tdx_test::FakePccs service;  // NVIDIA's RIM service answers {"id", "rim": Base64 of the XML}
    for (const auto &[id, text] : rims.swid_files) {
        Value answer = Value::object();
        answer.set("id", id);
        answer.set("rim", base64(std::vector<uint8_t>(text.begin(), text.end())));
        service.set("/v1/rim/" + id, canned(200, vep::json::dump(answer)));
    }
    o = Harness(config_for(rims, "rim_service_url", service.url() + "/v1/rim/")).run(body_with(near_payload()));
    ASSERT_TRUE(o.ok) << o.code << ": " << o.message;
    EXPECT_EQ(service.hits("/v1/rim/" + rims.vbios_id), 1);

    std::string altered = rims.swid_files.at(rims.vbios_id);
    const size_t at = altered.find("Hash0=\"") + 7;
    altered[at] = altered[at] == '0' ? '1' : '0';
    dir.write(rims.vbios_id + ".swidtag", altered);
    o = Harness(config_for(rims, "rim_directory", dir.path())).run(body_with(near_payload()));
    EXPECT_EQ(o.code, "attestation_invalid_nvidia_evidence");
    EXPECT_NE(o.message.find("gpu[0].rim_vbios"), std::string::npos) << o.message;
    EXPECT_NE(o.message.find("digest does not match"), std::string::npos) << o.message;
}

TEST(GpuRim, ConfigValidation) {
    EXPECT_THROW(Harness(R"({"rim":"required","rim_directory":"/tmp"})"), vep::Failure);  // no root pin
    EXPECT_THROW(Harness(R"({"rim":"required","rim_root_ca_sha256":[")" + std::string(64, 'a') + R"("]})"), vep::Failure);
    EXPECT_THROW(Harness(R"({"rim":"yes"})"), vep::Failure);
    EXPECT_THROW(Harness(R"({"rim":"required","rim_root_ca_sha256":[")" + std::string(64, 'a') +
                         R"("],"rim_service_url":"ftp://x/"})"),
                 vep::Failure);
    EXPECT_THROW(Harness(R"({"rim_timeout_ms":0})"), vep::Failure);
    // off by default: no RIM checks, nothing fetched
    const auto o = Harness().run(body_with(near_payload()));
    ASSERT_TRUE(o.ok);
    EXPECT_EQ(o.report.find("nvidia")->find("rim")->as_string(), "off");
    EXPECT_EQ(check_named(o, "gpu[0].rim_driver"), nullptr);
}
