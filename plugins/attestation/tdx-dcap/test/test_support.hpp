// Shared helpers of the tdx-dcap tests: test data, the plugin behind FakeHost, evidence builders.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "vep/client.hpp"
#include "vep/json.hpp"
#include "vep/sim/tdx_forge.hpp"
#include "vep/testing/fake_host.hpp"

namespace tdx_test {

// The real dcap-qvl quotes and collateral (tests/data/attestation/README.md) and a verification
// time inside each collateral's validity window.
inline const std::string kV4 = "attestation/dcap-qvl_tdx_quote_v4.bin";
inline const std::string kV4Collateral = "attestation/dcap-qvl_tdx_quote_v4_collateral.json";
inline const std::string kV5 = "attestation/dcap-qvl_tdx_quote_v5_outdated.bin";
inline const std::string kV5Collateral = "attestation/dcap-qvl_tdx_quote_v5_outdated_collateral.json";
inline constexpr int64_t kInsideV4Window = 1751000000;  // 2025-06-27
inline constexpr int64_t kInsideV5Window = 1772000000;  // 2026-02-25

std::string data_path(const std::string &relative);  // under tests/data/
std::string read_text(const std::string &path);
std::vector<uint8_t> read_bytes(const std::string &path);

// The NEAR AI cloud report (tests/data/attestation/README.md), its model's evidence and a
// verification time when the report was current.
inline constexpr int64_t kNearAiCaptureTime = 1776000000;  // 2026-04-12
const vep::json::Value &nearai_report();
vep::json::Value nearai_model_evidence();

// The plugin loaded through its entry point, driven through vep::client::AttestationClient.
class Plugin {
  public:
    explicit Plugin(const vep::json::Value &config);
    // Verifies for model "test-model" unless `model` is given.
    vep::client::AttestationOutcome verify(const std::string &evidence_json, const std::string &nonce_hex,
                                           const vep::json::Value &prior = vep::json::Value::object(),
                                           const std::string &model = "test-model") const;

  private:
    vep::testing::FakeHost host_;
    std::unique_ptr<vep::client::AttestationClient> client_;
};

// The nonce the tests send (64 hex) and the secp256k1 key whose address forged quotes bind.
inline const std::string kNonce = "deadbeef00000000000000000000000000000000000000000000000000000001";
// (The NEAR AI fixture's model key; its address is given by the fixture's README.)
inline const std::string kSigningPublicKey =
    "a31cdd4f9443ebc31cffffd688621a1807b41c2f02649881d010f881de0a5e94ddec8208161e8fa0"
    "2ae3748700bf8be3333c9683d6e13e0bbe7e92ee7d2243b8";
inline const std::string kSigningAddress = "0x56d070df1c6be444b007839ef9cf67cec7c12b8b";
std::array<uint8_t, 20> address_bytes(const std::string &address);

// REPORTDATA = address || 12 zeros || raw nonce.
std::array<uint8_t, 64> legacy_report_data(const std::array<uint8_t, 20> &address, const std::string &nonce_hex);

// A forge spec whose REPORTDATA binds kSigningPublicKey's address and kNonce.
vep::sim::tdx::QuoteSpec bound_spec(uint16_t version = 4);

// Flat-shape evidence: {"intel_quote": hex, "signing_public_key": ..., "signing_address": ...}.
std::string flat_evidence(const std::vector<uint8_t> &quote);
// aci/1-shape evidence with attestation.evidence.quote (and quote_report_data when given).
std::string aci_evidence(const std::vector<uint8_t> &quote, const std::string &quote_report_data_hex = "");

// Config pinning the test root (plus `extra` keys).
vep::json::Value test_root_config(vep::json::Value extra = vep::json::Value::object());

}  // namespace tdx_test

namespace tdx_test {

// Whether the plugin accepts `config`; a refusal must be invalid_config (a test failure otherwise).
bool loads(const vep::json::Value &config);
// The `ok` of the report's check named `name` from verifier tdx-dcap; nullopt when absent.
std::optional<bool> check_ok(const vep::json::Value &report, const std::string &name);
// report.tdx.<key>, or null.
vep::json::Value tdx_field(const vep::json::Value &report, const std::string &key);

}  // namespace tdx_test
