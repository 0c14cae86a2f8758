// ECDSA-P384-SHA384 verification of a raw r||s signature (SPDM signs this way).
//
// Owns nothing: a pure function over OpenSSL EVP. Called by NvidiaEvidenceVerifier.
#pragma once

#include <openssl/evp.h>

#include <array>
#include <cstddef>
#include <cstdint>

namespace vep::nvidia {

// True when `signature` (48-byte r || 48-byte s) is a valid ECDSA signature by `key` over
// SHA-384(data[0..len)). False on any failure, including a malformed signature.
bool verify_p384_sha384(EVP_PKEY *key, const uint8_t *data, size_t len, const std::array<uint8_t, 96> &signature);

}  // namespace vep::nvidia
