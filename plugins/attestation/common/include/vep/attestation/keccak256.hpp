// Keccak-256 as Ethereum uses it (original Keccak padding 0x01, not SHA3-256's 0x06).
//
// Owns nothing: a pure function over Keccak-f[1600]. OpenSSL 3.0 has no Keccak-256, hence this.
// Callers: ethereum_address(), the attestation plugins, sim/.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

namespace vep::attestation {

std::array<uint8_t, 32> keccak256(const uint8_t *data, size_t len);

}  // namespace vep::attestation
