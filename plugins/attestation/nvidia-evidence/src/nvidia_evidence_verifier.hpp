// The nvidia-evidence verifier: offline verification of the GPU evidence in `nvidia_payload`.
//
// Owns: the policy (shared knobs + root_ca_sha256 pins + verification_time override) and, per
// GPU, the checks: SPDM transcript parse, requester nonce == request nonce (and the payload's
// nonce == request nonce), certificate chain to a pinned NVIDIA root, ECDSA-P384 signature over
// the transcript by the leaf key, leaf FWID == signed opaque FWID, distinct GPUs. Reports
// nvidia.status "verified" with nvidia.gpus. Created by the plugin entry; called by the host.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>

#include "vep/attestation/check_log.hpp"
#include "vep/attestation/policy.hpp"
#include "vep/sdk.hpp"

namespace vep::nvidia {

struct NvidiaPayload;

class NvidiaEvidenceVerifier : public AttestationVerifier {
  public:
    explicit NvidiaEvidenceVerifier(const json::Value &config);
    void verify(const AttestationInput &input, json::Value &report) override;

  private:
    // Verifies every GPU; returns how many.
    size_t verify_gpus(attestation::CheckLog &log, const NvidiaPayload &payload, const std::string &nonce_hex,
                       int64_t now) const;
    attestation::AttestationPolicy policy_;
    std::set<std::string> pinned_roots_;
    std::optional<int64_t> verification_time_;
};

}  // namespace vep::nvidia
