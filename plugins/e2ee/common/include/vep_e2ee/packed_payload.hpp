// The packed field layout eph_pub(65) || nonce(12) || ciphertext || tag(16), as lowercase hex.
//
// Owns the layout constants and the textual validation of an incoming payload (empty, odd
// length, too short, non-hex, point prefix). Called by FieldCodec::decrypt before any crypto.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace vep::e2ee {

inline constexpr size_t kPointSize = 65;        // uncompressed SEC1: 0x04 || X || Y
inline constexpr size_t kCompressedPointSize = 33;
inline constexpr size_t kNonceSize = 12;
inline constexpr size_t kTagSize = 16;
inline constexpr size_t kKeySize = 32;
inline constexpr size_t kHeaderSize = kPointSize + kNonceSize;
inline constexpr size_t kMinPayloadBytes = kHeaderSize + kTagSize;  // 93: empty plaintext
inline constexpr size_t kMinPayloadHex = 2 * kMinPayloadBytes;       // 186
inline constexpr uint8_t kUncompressedPrefix = 0x04;

using Point = std::array<uint8_t, kPointSize>;
using Nonce = std::array<uint8_t, kNonceSize>;
using Tag = std::array<uint8_t, kTagSize>;

// A validated payload: fixed parts decoded, the ciphertext still as (validated) hex.
struct PackedPayload {
    Point ephemeral_public;        // prefix checked to be 0x04; curve membership is not checked
    Nonce nonce;
    Tag tag;
    std::string_view ciphertext_hex;  // even length, hex digits only; a view into the input
};

// Validates and splits `text`. Throws vep::Failure with e2ee_empty_payload, e2ee_odd_length,
// e2ee_too_short, e2ee_not_hex or e2ee_bad_point_prefix (checked in that order).
PackedPayload parse_packed_payload(std::string_view text);

}  // namespace vep::e2ee
