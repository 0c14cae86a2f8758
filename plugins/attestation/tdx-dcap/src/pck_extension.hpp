// The Intel SGX extension (OID 1.2.840.113741.1.13.1) of a PCK leaf certificate.
//
// Owns: a bounded DER walk of the extension's SEQUENCE of (OID, value) pairs, extracting what TCB
// evaluation needs: FMSPC, PCE-ID, the 16 SGX TCB component SVNs and PCESVN. Callers: the
// tdx-dcap verifier (presence check) and TCB evaluation.
#pragma once

#include <openssl/x509.h>

#include <array>
#include <cstdint>
#include <optional>

namespace vep::tdx_dcap {

struct PckExtension {
    std::array<uint8_t, 6> fmspc{};
    std::array<uint8_t, 2> pce_id{};
    std::array<uint32_t, 16> sgx_tcb_svn{};
    uint32_t pce_svn = 0;
};

// nullopt when the certificate has no SGX extension or it lacks FMSPC, PCE-ID or the TCB.
std::optional<PckExtension> parse_pck_extension(X509 *pck_leaf);

}  // namespace vep::tdx_dcap
