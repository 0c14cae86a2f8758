// Intel DCAP collateral for TDX TCB status, as dcap-qvl's QuoteCollateralV3 JSON.
//
// Owns: loading the collateral file (config `collateral_file`) and checking it against the pinned
// roots at a given time: TCB Info and QE Identity signatures over their exact served bytes by the
// "TCB Signing" certificate, their issuer chains (with the root CA CRL), their issueDate/nextUpdate
// window, and the PCK chain of a quote re-verified with the PCK and root CA CRLs. Callers: the
// tdx-dcap verifier; tcb_evaluation.hpp reads the parsed JSON afterwards.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "openssl_util.hpp"
#include "pinned_roots.hpp"
#include "vep/json.hpp"

namespace vep::tdx_dcap {

class Collateral {
  public:
    // Parses the collateral JSON text. Throws std::invalid_argument naming the bad member.
    static Collateral parse(std::string_view json_text);
    // Reads and parses a file (at most 4 MiB). Throws std::invalid_argument.
    static Collateral load_file(const std::string &path);

    // Checks signatures, issuer chains, validity windows and the PCK chain with CRLs.
    // Returns "" when everything holds, otherwise the reason.
    std::string check(const PinnedRoots &roots, const std::vector<X509Ptr> &pck_chain, int64_t unix_time) const;

    const json::Value &tcb_info() const { return tcb_info_; }
    const json::Value &qe_identity() const { return qe_identity_; }

  private:
    std::string tcb_info_text_, qe_identity_text_;
    std::vector<uint8_t> tcb_info_signature_, qe_identity_signature_;
    std::vector<X509Ptr> tcb_info_chain_, qe_identity_chain_;
    X509CrlPtr pck_crl_, root_ca_crl_;
    json::Value tcb_info_, qe_identity_;
};

}  // namespace vep::tdx_dcap
