// Builds the body of GET /tee/attestation for one model and nonce: the TDX quote (forged by the test
// PKI) whose REPORTDATA binds the model's signing address and the client nonce, wrapped in either
// Venice shape (ACI envelope "aci/1" or the flat legacy body), with an optional injected fault.
// Called by the attestation handler.
#pragma once

#include <array>
#include <cstdint>
#include <string>

#include "model_keys.hpp"
#include "runtime_settings.hpp"
#include "vep/json.hpp"

namespace vep::sim {

struct AttestationRequest {
    std::string model;
    std::array<uint8_t, 32> nonce{};  // raw client nonce
    std::string nonce_hex;            // as the client sent it
};

// REPORTDATA = address(20) || zeros(12) || nonce(32).
std::array<uint8_t, 64> report_data_for(const std::string &address_hex, const std::array<uint8_t, 32> &nonce);

// `other_model` names a model to claim under the model_mismatch fault; `decoy` is a key of another
// party used by the address faults. The ACI shape carries `workload_keyset` (as
// attestation.workload_keyset, with its digest as root workload_keyset_digest).
json::Value build_attestation_document(const AttestationRequest &request, const ModelKey &key,
                                       const ModelKey &decoy, const std::string &other_model,
                                       AttestationFault fault, AttestationShape shape,
                                       const json::Value &workload_keyset);

}  // namespace vep::sim
