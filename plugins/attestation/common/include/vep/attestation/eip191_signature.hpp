// EIP-191 `personal_sign` signatures over secp256k1: the message hash
// (Keccak-256 of "\x19Ethereum Signed Message:\n" || decimal length || message), recovery of the
// signer's Ethereum address from a 65-byte r || s || v signature, and signing.
//
// Owns nothing: pure functions over libsecp256k1 (recovery module). Callers: the host's receipt
// verifier (Venice's /tee/signature `text` signature by the attested signing address) and sim/
// (signing its records with the model key).
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace vep::attestation {

// Keccak-256 of the EIP-191 version-0x45 prefix, the message's byte length and the message.
std::array<uint8_t, 32> eip191_message_hash(std::string_view message);

// "0x" + 40 lowercase hex: the address whose key made `signature_hex` (130 hex, optional "0x",
// r || s || v with v in {27, 28} or {0, 1}) over `message`. Throws
// vep::Failure("receipt_signature_invalid", ...) when the signature is malformed, has a high s or
// recovers no key.
std::string recover_eip191_signer(std::string_view message, std::string_view signature_hex);

// 130 lowercase hex (r || s || v, v = 27 + recovery id): `message` signed with the 32-byte
// secp256k1 private key. Throws vep::Failure("receipt_signing_failed", ...) for an invalid key.
std::string sign_eip191(std::string_view message, const std::array<uint8_t, 32> &private_key);

// The uncompressed public key (130 hex, "04" || X || Y) of a 32-byte secp256k1 private key.
// Throws vep::Failure("receipt_signing_failed", ...) for an invalid key.
std::string secp256k1_public_key_of(const std::array<uint8_t, 32> &private_key);

}  // namespace vep::attestation
