// Strict Base64 decoding (RFC 4648 standard alphabet, not base64url) for attestation artefacts.
//
// Owns nothing: a pure function. Callers: nvidia-evidence (certificate chains, SPDM evidence).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace vep::attestation {

// Decodes Base64. ASCII whitespace anywhere is skipped (PEM-style line breaks); "=" padding is
// optional but may only appear at the end. nullopt on any other character or an impossible length.
std::optional<std::vector<uint8_t>> base64_decode(std::string_view text);

}  // namespace vep::attestation
