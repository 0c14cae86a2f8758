// Small OpenSSL 3 helpers for the tdx-dcap verifier.
//
// Owns: RAII handles for OpenSSL objects, SHA-256/384, raw P-256 public keys and raw r||s ECDSA
// verification, PEM certificate lists and certificate fingerprints. Pure functions; no global
// state. Callers: the quote signature checks, the PCK chain and the collateral checks.
#pragma once

#include <openssl/evp.h>
#include <openssl/x509.h>

#include <array>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace vep::tdx_dcap {

struct PkeyFree {
    void operator()(EVP_PKEY *p) const { EVP_PKEY_free(p); }
};
struct X509Free {
    void operator()(X509 *p) const { X509_free(p); }
};
struct X509CrlFree {
    void operator()(X509_CRL *p) const { X509_CRL_free(p); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyFree>;
using X509Ptr = std::unique_ptr<X509, X509Free>;
using X509CrlPtr = std::unique_ptr<X509_CRL, X509CrlFree>;

using Sha256 = std::array<uint8_t, 32>;
using Sha384 = std::array<uint8_t, 48>;

Sha256 sha256(std::span<const uint8_t> data);
Sha384 sha384(std::span<const uint8_t> data);

// A P-256 public key from 64 bytes X||Y; nullptr when the point is not on the curve.
PkeyPtr p256_public_key(std::span<const uint8_t> xy);

// ECDSA-SHA256 verification with a raw 64-byte r||s signature (P-256 key).
bool verify_p256_signature(EVP_PKEY *key, std::span<const uint8_t> raw_signature, std::span<const uint8_t> data);

// Every certificate of a PEM text, in order. Empty when any block fails to parse or when there
// are more than `max_certs`.
std::vector<X509Ptr> parse_pem_certificates(std::string_view pem, size_t max_certs = 8);

// A DER CRL; nullptr when malformed.
X509CrlPtr parse_der_crl(std::span<const uint8_t> der);

// SHA-256 of the certificate's DER encoding.
Sha256 certificate_sha256(X509 *cert);

// The last OpenSSL error as text ("" when none), clearing the error queue.
std::string last_openssl_error();

}  // namespace vep::tdx_dcap
