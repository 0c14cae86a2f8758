// Test helper: checks the ECDSA-P256 quote signature of a forged v4 TDX quote against the
// attestation key embedded in the quote (not the PCK chain). Used by the attestation tests.
#pragma once

#include <cstdint>
#include <vector>

namespace vep::sim::test {

bool quote_signature_valid(const std::vector<uint8_t> &quote);

}  // namespace vep::sim::test
