// Shared helpers of the tdx-dcap tests (see test_support.hpp).
#include "test_support.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <stdexcept>

#include "vep/abi.h"
#include "vep/hex.hpp"

extern "C" const vep_plugin_descriptor *vep_plugin_entry(const vep_host_api *host, char *err, size_t err_len);

namespace tdx_test {

std::string data_path(const std::string &relative) { return std::string(VEP_SOURCE_DIR) + "/tests/data/" + relative; }

std::string read_text(const std::string &path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + path);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

std::vector<uint8_t> read_bytes(const std::string &path) {
    const std::string text = read_text(path);
    return std::vector<uint8_t>(text.begin(), text.end());
}

const vep::json::Value &nearai_report() {
    static const vep::json::Value report =
        vep::json::parse(read_text(data_path("attestation/nearai_cloud_report_gpt_oss_120b.json")));
    return report;
}

vep::json::Value nearai_model_evidence() { return nearai_report().find("model_attestations")->as_array().at(0); }

Plugin::Plugin(const vep::json::Value &config)
    : client_(std::make_unique<vep::client::AttestationClient>(host_.load(&vep_plugin_entry), vep::json::dump(config),
                                                               nullptr)) {}

vep::client::AttestationOutcome Plugin::verify(const std::string &evidence_json, const std::string &nonce_hex,
                                               const vep::json::Value &prior, const std::string &model) const {
    return client_->verify(evidence_json, nonce_hex, model, prior, 1700000000);
}

std::array<uint8_t, 20> address_bytes(const std::string &address) {
    const auto bytes = vep::hex::decode(address.substr(2)).value();
    std::array<uint8_t, 20> out{};
    std::copy(bytes.begin(), bytes.end(), out.begin());
    return out;
}

std::array<uint8_t, 64> legacy_report_data(const std::array<uint8_t, 20> &address, const std::string &nonce_hex) {
    std::array<uint8_t, 64> rd{};
    std::copy(address.begin(), address.end(), rd.begin());
    const auto nonce = vep::hex::decode(nonce_hex).value();
    std::copy(nonce.begin(), nonce.end(), rd.begin() + 32);
    return rd;
}

vep::sim::tdx::QuoteSpec bound_spec(uint16_t version) {
    vep::sim::tdx::QuoteSpec spec;
    spec.version = version;
    spec.report_data = legacy_report_data(address_bytes(kSigningAddress), kNonce);
    spec.mr_td.fill(0x11);
    for (size_t i = 0; i < 4; ++i) spec.rtmr[i].fill(static_cast<uint8_t>(0x20 + i));
    return spec;
}

std::string flat_evidence(const std::vector<uint8_t> &quote) {
    vep::json::Value ev = vep::json::Value::object();
    ev.set("intel_quote", vep::hex::encode(quote));
    ev.set("signing_public_key", kSigningPublicKey);
    ev.set("signing_address", kSigningAddress);
    return vep::json::dump(ev);
}

std::string aci_evidence(const std::vector<uint8_t> &quote, const std::string &quote_report_data_hex) {
    vep::json::Value evidence = vep::json::Value::object();
    evidence.set("quote", "0x" + vep::hex::encode(quote));
    if (!quote_report_data_hex.empty()) evidence.set("quote_report_data", quote_report_data_hex);
    vep::json::Value attestation = vep::json::Value::object();
    attestation.set("evidence", std::move(evidence));
    vep::json::Value ev = vep::json::Value::object();
    ev.set("verified", true);
    ev.set("nonce", kNonce);
    ev.set("signing_public_key", "04" + kSigningPublicKey);
    ev.set("signing_address", kSigningAddress);
    ev.set("attestation", std::move(attestation));
    return vep::json::dump(ev);
}

vep::json::Value test_root_config(vep::json::Value extra) {
    vep::json::Value roots = vep::json::Value::array();
    roots.push_back(vep::sim::tdx::test_root_ca_sha256_hex());
    extra.set("root_ca_sha256", std::move(roots));
    return extra;
}

}  // namespace tdx_test

namespace tdx_test {

bool loads(const vep::json::Value &config) {
    try {
        Plugin plugin(config);
        return true;
    } catch (const vep::Failure &f) {
        EXPECT_EQ(f.code(), "invalid_config");
        return false;
    }
}

std::optional<bool> check_ok(const vep::json::Value &report, const std::string &name) {
    const vep::json::Value *checks = report.find("checks");
    if (!checks || !checks->is_array()) return std::nullopt;
    for (const auto &c : checks->as_array()) {
        const vep::json::Value *n = c.find("name");
        const vep::json::Value *v = c.find("verifier");
        if (n && v && n->is_string() && n->as_string() == name && v->as_string() == "tdx-dcap")
            return c.find("ok")->as_bool();
    }
    return std::nullopt;
}

vep::json::Value tdx_field(const vep::json::Value &report, const std::string &key) {
    const vep::json::Value *tdx = report.find("tdx");
    const vep::json::Value *v = tdx ? tdx->find(key) : nullptr;
    return v ? *v : vep::json::Value();
}

}  // namespace tdx_test
