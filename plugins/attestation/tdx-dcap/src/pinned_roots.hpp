// Certificate chain verification to a root pinned by SHA-256 fingerprint.
//
// Owns: the set of pinned root fingerprints (config `root_ca_sha256`) and the X509_STORE policy:
// only the pinned root is trusted (never the system store), X509_V_FLAG_X509_STRICT, explicit
// verification time, optional CRLs with CRL_CHECK | CRL_CHECK_ALL. A root is recognised by its
// fingerprint, never by its name. Callers: PCK chain check and collateral issuer-chain checks.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "openssl_util.hpp"

namespace vep::tdx_dcap {

class PinnedRoots {
  public:
    // Throws std::invalid_argument when a fingerprint is not 64 hex chars (":" separators allowed).
    explicit PinnedRoots(const std::vector<std::string> &sha256_hex);

    // Verifies chain[0] (the leaf) through chain[1..] to a pinned root found in the chain (or the
    // embedded Intel SGX Root CA when pinned), at `unix_time`, with `crls` when non-empty.
    // Returns "" on success, otherwise the reason.
    std::string verify(const std::vector<X509Ptr> &chain, int64_t unix_time,
                       const std::vector<X509_CRL *> &crls = {}) const;

  private:
    bool pinned(X509 *cert) const;
    std::vector<Sha256> fingerprints_;
    X509Ptr intel_root_;
};

}  // namespace vep::tdx_dcap
