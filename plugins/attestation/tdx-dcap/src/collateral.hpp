// Intel DCAP collateral for TDX TCB status: dcap-qvl's QuoteCollateralV3 JSON or the parts a PCCS serves.
//
// Owns: loading the collateral file (config `collateral_file`) or assembling it from fetched parts
// (pccs_client.hpp), and checking it against the pinned
// roots at a given time: TCB Info and QE Identity signatures over their exact served bytes by the
// "TCB Signing" certificate, their issuer chains (with the root CA CRL), their issueDate/nextUpdate
// window, and the PCK chain of a quote re-verified with the PCK and root CA CRLs. Callers: the
// tdx-dcap verifier; tcb_evaluation.hpp reads the parsed JSON afterwards.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "openssl_util.hpp"
#include "pinned_roots.hpp"
#include "vep/json.hpp"

namespace vep::tdx_dcap {

// The raw collateral items as served: the exact signed JSON texts, raw r||s signatures, PEM issuer
// chains and DER CRLs. Filled by the collateral file reader and by the PCCS client.
struct CollateralParts {
    std::string tcb_info_text;
    std::vector<uint8_t> tcb_info_signature;
    std::string tcb_info_issuer_chain_pem;
    std::string qe_identity_text;
    std::vector<uint8_t> qe_identity_signature;
    std::string qe_identity_issuer_chain_pem;
    std::vector<uint8_t> pck_crl_der;
    std::vector<uint8_t> root_ca_crl_der;
};

class Collateral {
  public:
    // Builds the collateral from its parts. Throws std::invalid_argument naming the bad item.
    static Collateral from_parts(CollateralParts parts);
    // Parses the collateral JSON text. Throws std::invalid_argument naming the bad member.
    static Collateral parse(std::string_view json_text);
    // Reads and parses a file (at most 4 MiB). Throws std::invalid_argument.
    static Collateral load_file(const std::string &path);

    // Checks what does not depend on a quote: TCB Info and QE Identity signatures, their issuer
    // chains (with the root CA CRL) and validity windows. Returns "" when they hold, else the reason.
    std::string check_signed_documents(const PinnedRoots &roots, int64_t unix_time) const;

    // check_signed_documents, then the PCK chain with both CRLs.
    // Returns "" when everything holds, otherwise the reason.
    std::string check(const PinnedRoots &roots, const std::vector<X509Ptr> &pck_chain, int64_t unix_time) const;

    // The earliest nextUpdate of TCB Info, QE Identity and both CRLs (unix seconds): after it the
    // collateral is stale and must be fetched again. nullopt when a date does not parse.
    std::optional<int64_t> next_update() const;

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
