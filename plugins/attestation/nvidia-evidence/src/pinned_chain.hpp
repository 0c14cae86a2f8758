// A PEM certificate chain (leaf first, root last) validated to a pinned root.
//
// Owns: PEM parsing (bounded length), the root pin (SHA-256 of the root certificate's DER must be
// one of the given fingerprints), and path validation with OpenSSL (X509_verify_cert, a store
// holding only that pinned root, X509_STRICT, the root's self-signature checked, a fixed
// verification time). Fully offline. Callers: the GPU certificate chain and the RIM signer check.
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "openssl_handles.hpp"

namespace vep::nvidia {

struct PinnedChain {
    std::vector<OpenSslPtr<X509>> certs;  // leaf first, the pinned root last
    std::string root_sha256;              // lowercase hex
};

// Throws vep::Failure("attestation_invalid_nvidia_evidence", "<what>: ...") when the chain cannot
// be parsed, has fewer than two certificates, does not end at a pinned root, or does not validate
// at `verification_time` (Unix seconds).
PinnedChain validate_pinned_chain(const std::string &pem_chain, const std::set<std::string> &pinned_root_sha256,
                                  int64_t verification_time, const std::string &what);

// SHA-256 of the certificate's DER, lowercase hex ("" when it cannot be computed).
std::string certificate_sha256(X509 *cert);

// The certificate's subject in OpenSSL's one-line form.
std::string certificate_subject(X509 *cert);

}  // namespace vep::nvidia
