// Hex and text helpers shared by the attestation plugins and the simulator.
//
// Owns nothing: pure functions. Callers: plugins/attestation/*, sim/.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vep::attestation {

// Lowercase hex of `len` bytes.
std::string hex_encode(const uint8_t *data, size_t len);
std::string hex_encode(const std::vector<uint8_t> &bytes);

// Decodes hex of either case. nullopt on odd length or a non-hex character. No trimming, no "0x".
std::optional<std::vector<uint8_t>> hex_decode(std::string_view hex);

// True when `text` is non-empty, of even length and only hex digits (either case).
bool is_hex(std::string_view text);

// `text` without leading/trailing ASCII whitespace (space, \t, \r, \n, \f, \v).
std::string_view trim(std::string_view text);

// `text` without one leading "0x" or "0X".
std::string_view strip_0x(std::string_view text);

// ASCII lowercase copy.
std::string to_lower(std::string_view text);

}  // namespace vep::attestation
