// Stable failure codes of the Venice E2EE field codec, shared by every cipher backend.
//
// Owns: the code strings carried in vep::Failure (and so in vep_error.code) by the e2ee plugins.
// The host maps them to its own error envelope; tests assert on them. Messages never carry keys
// or plaintext.
#pragma once

namespace vep::e2ee::codes {

inline constexpr const char *kInvalidConfig = "invalid_config";
inline constexpr const char *kEmptyPayload = "e2ee_empty_payload";
inline constexpr const char *kOddLength = "e2ee_odd_length";
inline constexpr const char *kNotHex = "e2ee_not_hex";
inline constexpr const char *kTooShort = "e2ee_too_short";
inline constexpr const char *kBadPointPrefix = "e2ee_bad_point_prefix";
inline constexpr const char *kPointNotOnCurve = "e2ee_point_not_on_curve";
inline constexpr const char *kTagMismatch = "e2ee_tag_mismatch";
inline constexpr const char *kInvalidUtf8 = "e2ee_invalid_utf8";
inline constexpr const char *kInvalidPublicKey = "e2ee_invalid_public_key";
inline constexpr const char *kInvalidPrivateKey = "e2ee_invalid_private_key";
// An unexpected failure inside the crypto library (allocation, RNG); never caused by input.
inline constexpr const char *kCryptoFailure = "e2ee_crypto_failure";

}  // namespace vep::e2ee::codes
