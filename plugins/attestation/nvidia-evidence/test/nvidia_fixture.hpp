// Test fixture for the nvidia-evidence plugin: the real NEAR AI 8-GPU payload, helpers to edit
// its entries, an OpenSSL-generated impostor root with NVIDIA's subject name, and a harness that
// loads the plugin through vep::testing::FakeHost + vep::client::AttestationClient.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <openssl/x509.h>

#include "vep/client.hpp"
#include "vep/json.hpp"
#include "vep/testing/fake_host.hpp"

namespace nvidia_test {

extern const std::string kNearNonce;  // deadbeef…01

// The parsed nvidia_payload object of the NEAR AI model attestation.
vep::json::Value near_payload();

// An attestation body carrying `payload` as nvidia_payload (as a JSON string when `as_string`).
vep::json::Value body_with(const vep::json::Value &payload, bool as_string = true);

std::vector<uint8_t> evidence_of(const vep::json::Value &payload, size_t gpu);
void set_evidence(vep::json::Value &payload, size_t gpu, const std::vector<uint8_t> &evidence);
std::string certificate_chain_of(const vep::json::Value &payload, size_t gpu);  // PEM text
void set_certificate_chain(vep::json::Value &payload, size_t gpu, const std::string &pem);

// PEM blocks of a chain, in order.
std::vector<std::string> split_pem(const std::string &pem);

// A freshly generated self-signed P-384 certificate with the same subject/issuer name as
// `model_pem`; its SHA-256 fingerprint in `fingerprint` (lowercase hex).
std::string impostor_root_pem(const std::string &model_pem, std::string &fingerprint);

std::string base64(const std::vector<uint8_t> &bytes);

// The certificate in PEM.
std::string pem_of(X509 *cert);

class Harness {
  public:
    explicit Harness(const std::string &config_json = R"({"require_nvidia":"when_present"})");
    vep::client::AttestationOutcome run(const vep::json::Value &body, const std::string &nonce = kNearNonce,
                                        int64_t now_unix = 1767225600) const;

  private:
    vep::testing::FakeHost host_;
    std::unique_ptr<vep::client::AttestationClient> client_;
};

}  // namespace nvidia_test
