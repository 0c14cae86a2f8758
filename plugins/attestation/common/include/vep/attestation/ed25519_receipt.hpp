// The Ed25519 signature of an ACI receipt (Venice's /tee/signature `receipt`): the bytes it signs —
// the RFC 8785 canonical form of the receipt with `signature.value` removed — and signing and
// verifying them with raw 32-byte Ed25519 keys (OpenSSL 3).
//
// Owns nothing: pure functions. Callers: the host's receipt verifier and sim/ (signing receipts).
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "vep/json.hpp"

namespace vep::attestation {

// JCS of `receipt` without signature.value. Throws vep::Failure("receipt_malformed", ...) when the
// receipt is not an object or its `signature` is not an object.
std::string receipt_signing_bytes(const json::Value &receipt);

// True when `signature_hex` (64 bytes as hex, optional "0x") is a valid Ed25519 signature of
// `message` under `public_key_hex` (32 bytes as hex). False for any malformed input.
bool ed25519_verify(std::string_view public_key_hex, std::string_view message, std::string_view signature_hex);

// A fresh Ed25519 private key (32 random bytes). Throws vep::Failure("receipt_signing_failed", ...).
std::array<uint8_t, 32> ed25519_generate_private_key();
// The raw public key (64 lowercase hex) of a 32-byte Ed25519 private key.
std::string ed25519_public_key_hex(const std::array<uint8_t, 32> &private_key);
// The signature (128 lowercase hex) of `message`.
std::string ed25519_sign(const std::array<uint8_t, 32> &private_key, std::string_view message);

}  // namespace vep::attestation
