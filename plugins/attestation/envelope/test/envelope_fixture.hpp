// Test fixture for the envelope plugin: a real secp256k1 key (32 x 0x07), synthetic TDX quotes
// with Venice's REPORTDATA layout, valid bodies of both shapes, and a harness that loads the
// plugin through vep::testing::FakeHost + vep::client::AttestationClient (the real ABI path).
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "vep/client.hpp"
#include "vep/json.hpp"
#include "vep/testing/fake_host.hpp"

namespace envelope_test {

extern const std::string kNonce;  // 64 lowercase hex
extern const std::string kModel;
extern const std::string kPublicKey;  // 130 hex of private key 32 x 0x07
extern const std::string kAddress;    // its Ethereum address

// Venice's layout: address (20) || zero (12) || raw nonce (32).
std::array<uint8_t, 64> venice_report_data(const std::string &address = kAddress, const std::string &nonce = kNonce);

// A synthetic quote (signature not meaningful) of `version` 4 or 5 with the given REPORTDATA.
std::vector<uint8_t> make_quote(const std::array<uint8_t, 64> &report_data, bool debug = false, uint16_t version = 4);
std::string make_quote_hex(const std::array<uint8_t, 64> &report_data, bool debug = false, uint16_t version = 4);

// A valid current-shape ("aci/1") body without hardware evidence.
vep::json::Value aci_body();
// aci_body() plus attestation.evidence {quote, quote_report_data} binding key and nonce.
vep::json::Value aci_body_with_quote(bool debug = false);
// A valid older flat-shape body with intel_quote, signing_key and tdx_reportdata.
vep::json::Value flat_body_with_quote();

std::string read_file(const std::string &relative_to_source_dir);

// Loads the plugin with `config_json` and runs verifications through the ABI.
class Harness {
  public:
    explicit Harness(const std::string &config_json = "{}");
    vep::client::AttestationOutcome run(const vep::json::Value &body, const std::string &nonce = kNonce,
                                        const std::string &model = kModel,
                                        const vep::json::Value &prior = vep::json::Value::object(),
                                        int64_t now_unix = 1767225600) const;
    vep::client::AttestationOutcome run_text(const std::string &body_text, const std::string &nonce = kNonce,
                                             const std::string &model = kModel) const;

  private:
    vep::testing::FakeHost host_;
    std::unique_ptr<vep::client::AttestationClient> client_;
};

// Every check name in the report's "checks", with ok flags, e.g. "nonce_echo:1".
std::vector<std::string> check_names(const vep::json::Value &report);

}  // namespace envelope_test
