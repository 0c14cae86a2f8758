// secp256k1 public-key normalisation and the Ethereum address of a key.
//
// Owns nothing: pure functions over libsecp256k1 (static context). Callers: the envelope plugin
// (signing_public_key / signing_address checks) and sim/ (to publish signing_address).
#pragma once

#include <string>
#include <string_view>

namespace vep::attestation {

// Normalises a secp256k1 public key to 130 lowercase hex chars (uncompressed, "04" prefix).
// Accepts: surrounding whitespace, an optional "0x", either case, 130 hex (04 || X || Y),
// 128 hex (X || Y, "04" is prepended) or 66 hex (compressed 02/03 || X, decompressed). The point
// must lie on the curve. Throws vep::Failure("attestation_invalid_signing_key", ...) otherwise.
std::string normalize_secp256k1_public_key(std::string_view key);

// "0x" + 40 lowercase hex: the last 20 bytes of Keccak-256(X || Y) of an uncompressed public key
// given as 130 hex chars ("04" || X || Y, either case). Throws
// vep::Failure("attestation_invalid_signing_key", ...) when the input is not of that form.
std::string ethereum_address(const std::string &uncompressed_pubkey_hex_130);

}  // namespace vep::attestation
