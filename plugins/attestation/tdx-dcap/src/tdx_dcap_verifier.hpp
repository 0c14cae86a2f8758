// The tdx-dcap attestation verifier: offline Intel TDX DCAP quote verification.
//
// Owns: the order of checks for one attestation response:
// quote parse → header → quote signature → QE report binding and signature → PCK chain to a pinned
// root → TD debug attributes → TCB status from collateral (a collateral_file, or fetched from
// pccs_url per platform and cached) → REPORTDATA binding of signing address and nonce →
// measurement policy. Writes report.tdx and checks. Called by the host through the attestation
// ABI (plugin "tdx-dcap"); verify() runs concurrently.
#pragma once

#include <memory>
#include <optional>

#include "collateral.hpp"
#include "collateral_cache.hpp"
#include "pccs_client.hpp"
#include "pck_extension.hpp"
#include "pinned_roots.hpp"
#include "plugin_config.hpp"
#include "report_checks.hpp"
#include "vep/sdk.hpp"

namespace vep::tdx_dcap {

class TdxDcapVerifier : public AttestationVerifier {
  public:
    explicit TdxDcapVerifier(const json::Value &config);
    void verify(const AttestationInput &input, json::Value &report) override;

  private:
    // The collateral for this quote's platform: the configured file, or fetched from the PCCS
    // (cached). nullptr when neither is configured. Fails the tcb_status check when a fetch fails.
    std::shared_ptr<const Collateral> collateral_for(const std::vector<X509Ptr> &pck_chain, const PckExtension &pck,
                                                     int64_t now, ReportChecks &checks);

    PluginConfig config_;
    PinnedRoots roots_;
    std::shared_ptr<const Collateral> file_collateral_;
    std::unique_ptr<PccsClient> pccs_;
    std::unique_ptr<CollateralCache> pccs_cache_;
};

}  // namespace vep::tdx_dcap
