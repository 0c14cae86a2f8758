// The tdx-dcap attestation verifier: offline Intel TDX DCAP quote verification.
//
// Owns: the order of checks for one attestation response (reference attestation.md §2–§3):
// quote parse → header → quote signature → QE report binding and signature → PCK chain to a pinned
// root → TD debug attributes → TCB status from collateral (when configured) → REPORTDATA binding
// of signing address and nonce → measurement policy. Writes report.tdx and checks. Called by
// the host through the attestation ABI (plugin "tdx-dcap").
#pragma once

#include <optional>

#include "collateral.hpp"
#include "pinned_roots.hpp"
#include "plugin_config.hpp"
#include "vep/sdk.hpp"

namespace vep::tdx_dcap {

class TdxDcapVerifier : public AttestationVerifier {
  public:
    explicit TdxDcapVerifier(const json::Value &config);
    void verify(const AttestationInput &input, json::Value &report) override;

  private:
    PluginConfig config_;
    PinnedRoots roots_;
    std::optional<Collateral> collateral_;
};

}  // namespace vep::tdx_dcap
