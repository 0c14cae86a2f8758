// Envelope test fixture (see envelope_fixture.hpp).
#include "envelope_fixture.hpp"

#include <fstream>
#include <iterator>
#include <stdexcept>

#include "vep/hex.hpp"

extern "C" const vep_plugin_descriptor *vep_plugin_entry(const vep_host_api *host, char *err, size_t err_len);

namespace envelope_test {

using vep::json::Value;

const std::string kNonce = "a3b1c2d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90";
const std::string kModel = "e2ee-qwen3-5-122b-a10b";
const std::string kPublicKey =
    "04989c0b76cb563971fdc9bef31ec06c3560f3249d6ee9e5d83c57625596e05f6f631f4d05b3ae518776ee08755a7703e64b2ebc32547504"
    "de0b55a142d4ecdf80";
const std::string kAddress = "0x4a62316623ad457f02cdc5d997ded67a383ec569";

std::array<uint8_t, 64> venice_report_data(const std::string &address, const std::string &nonce) {
    std::array<uint8_t, 64> rd{};
    const auto a = *vep::hex::decode(address.substr(2));
    const auto n = *vep::hex::decode(nonce);
    std::copy(a.begin(), a.end(), rd.begin());
    std::copy(n.begin(), n.end(), rd.begin() + 32);
    return rd;
}

std::vector<uint8_t> make_quote(const std::array<uint8_t, 64> &report_data, bool debug, uint16_t version) {
    const size_t body = version == 5 ? 54 : 48;
    const size_t body_size = version == 5 ? 648 : 584;
    std::vector<uint8_t> q(body + body_size + 64, 0x5a);
    q[0] = static_cast<uint8_t>(version);
    q[1] = 0;
    q[2] = 2;  // attestation key type ECDSA-256
    q[3] = 0;
    q[4] = 0x81;  // TEE type TDX (u32 LE)
    q[5] = q[6] = q[7] = 0;
    if (version == 5) {
        q[48] = 3;  // body type TD 1.5
        q[49] = 0;
        q[50] = 648 & 0xff;
        q[51] = 648 >> 8;
        q[52] = q[53] = 0;
    }
    for (size_t i = 0; i < 8; ++i) q[body + 120 + i] = 0;
    q[body + 120] = debug ? 0x01 : 0x00;
    q[body + 123] = 0x10;  // SEPT_VE_DISABLE, as in real quotes
    std::copy(report_data.begin(), report_data.end(), q.begin() + static_cast<std::ptrdiff_t>(body + 520));
    return q;
}

std::string make_quote_hex(const std::array<uint8_t, 64> &report_data, bool debug, uint16_t version) {
    return vep::hex::encode(make_quote(report_data, debug, version));
}

Value aci_body() {
    return vep::json::parse(R"({"api_version":"aci/1","attestation":{"tee_type":"tdx"},"verified":true,"nonce":")" +
                            kNonce + R"(","model":")" + kModel +
                            R"(","tee_provider":"phala","debug":false,"signing_public_key":")" + kPublicKey +
                            R"(","signing_address":")" + kAddress + R"("})");
}

Value aci_body_with_quote(bool debug) {
    Value body = aci_body();
    const auto rd = venice_report_data();
    Value evidence = Value::object();
    evidence.set("quote", make_quote_hex(rd, debug));
    evidence.set("quote_report_data", vep::hex::encode(rd.data(), rd.size()));
    body.find("attestation")->set("evidence", std::move(evidence));
    return body;
}

Value flat_body_with_quote() {
    const auto rd = venice_report_data();
    Value body = Value::object();
    body.set("verified", true);
    body.set("nonce", kNonce);
    body.set("model", kModel);
    body.set("tee_provider", "phala");
    body.set("signing_key", kPublicKey.substr(2));  // 128 hex without 04, as NEAR serves it
    body.set("signing_address", kAddress);
    body.set("intel_quote", make_quote_hex(rd));
    body.set("tdx_reportdata", vep::hex::encode(rd.data(), rd.size()));
    return body;
}

std::string read_file(const std::string &relative) {
    std::ifstream in(std::string(VEP_SOURCE_DIR) + "/" + relative, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + relative);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

Harness::Harness(const std::string &config_json)
    : client_(std::make_unique<vep::client::AttestationClient>(host_.load(&vep_plugin_entry), config_json, nullptr)) {}

vep::client::AttestationOutcome Harness::run(const Value &body, const std::string &nonce, const std::string &model,
                                             const Value &prior, int64_t now_unix) const {
    return client_->verify(vep::json::dump(body), nonce, model, prior, now_unix);
}

vep::client::AttestationOutcome Harness::run_text(const std::string &body_text, const std::string &nonce,
                                                  const std::string &model) const {
    return client_->verify(body_text, nonce, model, Value::object(), 1767225600);
}

std::vector<std::string> check_names(const Value &report) {
    std::vector<std::string> out;
    const Value *checks = report.find("checks");
    if (!checks || !checks->is_array()) return out;
    for (const auto &c : checks->as_array())
        out.push_back(c.find("name")->as_string() + ":" + (c.find("ok")->as_bool() ? "1" : "0"));
    return out;
}

}  // namespace envelope_test
