// Internal: the Keccak-f[1600] sponge with a 256-bit output and a selectable domain padding byte
// (0x01 = Keccak-256 as Ethereum uses it, 0x06 = FIPS 202 SHA3-256). keccak256() uses 0x01; the
// unit test uses 0x06 to cross-check the permutation against OpenSSL's SHA3-256.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

namespace vep::attestation {

std::array<uint8_t, 32> keccak_sponge_256(const uint8_t *data, size_t len, uint8_t domain_padding);

}  // namespace vep::attestation
