// The nvidia-evidence verifier: offline verification of the GPU evidence in `nvidia_payload`.
//
// Owns: the configuration (plugin_config.hpp), the RIM store and the OCSP checker of this plugin
// instance, and, per GPU, the checks, each reported by name in report.checks:
//   gpu[i]               SPDM transcript parse, requester nonce == request nonce (and the payload's
//                        nonce == request nonce), certificate chain to a pinned NVIDIA root,
//                        ECDSA-P384 signature over the transcript by the leaf key, leaf FWID ==
//                        signed opaque FWID, distinct GPUs;
//   gpu[i].rim_driver    (rim = "required") the driver RIM named by the evidence, signed to a pinned RIM root;
//   gpu[i].rim_vbios     (rim = "required") the same for the VBIOS RIM;
//   gpu[i].measurements  (rim = "required") every active golden measurement matches: the measured
//                        firmware and configuration are the released ones (the evidence has no
//                        separate secure-boot or debug flag; this is the check that covers them);
//   gpu[i].revocation    (revocation = "ocsp") no certificate of the chain is revoked.
// Reports nvidia.status "verified" with nvidia.gpus, nvidia.rim and nvidia.revocation. Created
// by the plugin entry; called by the host, possibly from several threads.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "ocsp_checker.hpp"
#include "plugin_config.hpp"
#include "rim_store.hpp"
#include "vep/attestation/check_log.hpp"
#include "vep/sdk.hpp"

namespace vep::nvidia {

struct NvidiaPayload;
struct GpuEvidence;
struct SpdmMeasurements;

class NvidiaEvidenceVerifier : public AttestationVerifier {
  public:
    explicit NvidiaEvidenceVerifier(const json::Value &config);
    void verify(const AttestationInput &input, json::Value &report) override;

  private:
    // Verifies every GPU; returns how many.
    size_t verify_gpus(attestation::CheckLog &log, const NvidiaPayload &payload, const std::string &nonce_hex,
                       int64_t now) const;
    // The RIM checks of one GPU; `check` is set to the name of the check running.
    void compare_with_rims(attestation::CheckLog &log, const std::string &name, const SpdmMeasurements &spdm,
                           const std::string &arch, int64_t now, std::string &check) const;
    PluginConfig config_;
    std::unique_ptr<RimStore> rims_;     // when rim = "required"
    std::unique_ptr<OcspChecker> ocsp_;  // when revocation = "ocsp"
};

}  // namespace vep::nvidia
