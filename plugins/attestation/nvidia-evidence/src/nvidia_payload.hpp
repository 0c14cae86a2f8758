// The `nvidia_payload` of an attestation response: {nonce, arch, evidence_list[{certificate,
// evidence, arch}]} as a JSON object or as a JSON string holding that object.
//
// Owns: decoding (certificate = Base64 of a PEM chain, or the PEM itself; evidence = Base64 or hex
// of the SPDM GET_MEASUREMENTS transcript) and size bounds. Called by NvidiaEvidenceVerifier.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "vep/json.hpp"

namespace vep::nvidia {

struct GpuEvidence {
    std::string arch;
    std::string certificate_chain_pem;
    std::vector<uint8_t> evidence;
};

struct NvidiaPayload {
    std::string nonce;  // as given (hex text)
    std::string arch;
    std::vector<GpuEvidence> gpus;
};

constexpr size_t kMaxGpus = 64;
constexpr size_t kMaxEvidenceBytes = 64 * 1024;
constexpr size_t kMaxCertificateChainBytes = 64 * 1024;

// Throws vep::Failure("attestation_invalid_nvidia_evidence", ...) on any shape, type, encoding or
// size problem.
NvidiaPayload parse_nvidia_payload(const json::Value &payload);

}  // namespace vep::nvidia
