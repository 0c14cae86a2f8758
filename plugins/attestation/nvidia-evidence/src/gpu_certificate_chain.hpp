// The GPU's device certificate chain (leaf "GSP FMC LF" … root "NVIDIA Device Identity CA").
//
// Owns: validation to a pinned root (pinned_chain.hpp); extraction of the leaf's P-384 key and TCG DICE FWID (extension 2.23.133.5.4.1, last 48
// bytes). Fully offline. Called by NvidiaEvidenceVerifier.
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "openssl_handles.hpp"
#include "pinned_chain.hpp"

namespace vep::nvidia {

// The SHA-256 fingerprint of NVIDIA's published Device Identity CA, the default root pin.
inline constexpr const char *kNvidiaDeviceIdentityRootSha256 =
    "102bf659d5419614c9d8e6aecebc80454eb26b1df6a769ac720b9a690b167b48";

struct VerifiedGpuChain {
    OpenSslPtr<EVP_PKEY> leaf_key;       // P-384
    std::vector<uint8_t> leaf_fwid;      // 48 bytes
    std::vector<uint8_t> leaf_der;       // to tell GPUs apart
    std::string leaf_subject;
    PinnedChain chain;                   // the validated certificates, for the revocation check
};

// Throws vep::Failure("attestation_invalid_nvidia_evidence", ...) when the chain cannot be parsed,
// does not end at a pinned root, does not validate at `verification_time` (Unix seconds), or the
// leaf lacks a P-384 key or the FWID extension.
VerifiedGpuChain verify_gpu_certificate_chain(const std::string &pem_chain, const std::set<std::string> &pinned_root_sha256,
                                              int64_t verification_time);

}  // namespace vep::nvidia
