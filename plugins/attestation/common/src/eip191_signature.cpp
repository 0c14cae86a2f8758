// EIP-191 personal_sign: hashing, recovery, signing (see eip191_signature.hpp).
#include "vep/attestation/eip191_signature.hpp"

#include <secp256k1.h>
#include <secp256k1_recovery.h>

#include "vep/attestation/keccak256.hpp"
#include "vep/attestation/secp256k1_public_key.hpp"
#include "vep/hex.hpp"
#include "vep/sdk.hpp"
#include "vep/text.hpp"

namespace vep::attestation {
namespace {

[[noreturn]] void invalid(const std::string &why) {
    throw Failure("receipt_signature_invalid", "EIP-191 signature " + why);
}

[[noreturn]] void signing_failed(const std::string &why) { throw Failure("receipt_signing_failed", why); }

// A signing context, created once (the static context cannot sign).
const secp256k1_context *signing_context() {
    static secp256k1_context *const ctx = secp256k1_context_create(SECP256K1_CONTEXT_NONE);
    return ctx;
}

}  // namespace

std::array<uint8_t, 32> eip191_message_hash(std::string_view message) {
    std::string prefixed = "\x19" "Ethereum Signed Message:\n" + std::to_string(message.size());
    prefixed.append(message);
    return keccak256(reinterpret_cast<const uint8_t *>(prefixed.data()), prefixed.size());
}

std::string recover_eip191_signer(std::string_view message, std::string_view signature_hex) {
    const auto bytes = hex::decode(hex::strip_0x(trim_ascii(signature_hex)));
    if (!bytes) invalid("is not hex");
    if (bytes->size() != 65) invalid("is not 65 bytes (r || s || v)");
    int v = (*bytes)[64];
    if (v >= 27) v -= 27;
    if (v != 0 && v != 1) invalid("has a recovery byte other than 27/28 (or 0/1)");
    secp256k1_ecdsa_recoverable_signature recoverable;
    if (!secp256k1_ecdsa_recoverable_signature_parse_compact(secp256k1_context_static, &recoverable, bytes->data(), v))
        invalid("has r or s out of range");
    secp256k1_ecdsa_signature plain;
    secp256k1_ecdsa_recoverable_signature_convert(secp256k1_context_static, &plain, &recoverable);
    secp256k1_ecdsa_signature normalized;
    if (secp256k1_ecdsa_signature_normalize(secp256k1_context_static, &normalized, &plain))
        invalid("has a high s (malleable form)");
    const auto digest = eip191_message_hash(message);
    secp256k1_pubkey key;
    if (!secp256k1_ecdsa_recover(secp256k1_context_static, &key, &recoverable, digest.data()))
        invalid("recovers no public key");
    uint8_t out[65];
    size_t out_len = sizeof out;
    secp256k1_ec_pubkey_serialize(secp256k1_context_static, out, &out_len, &key, SECP256K1_EC_UNCOMPRESSED);
    return ethereum_address(hex::encode(out, out_len));
}

std::string sign_eip191(std::string_view message, const std::array<uint8_t, 32> &private_key) {
    const auto digest = eip191_message_hash(message);
    secp256k1_ecdsa_recoverable_signature sig;
    if (!secp256k1_ecdsa_sign_recoverable(signing_context(), &sig, digest.data(), private_key.data(), nullptr, nullptr))
        signing_failed("the secp256k1 private key is invalid");
    uint8_t compact[65];
    int recid = 0;
    secp256k1_ecdsa_recoverable_signature_serialize_compact(signing_context(), compact, &recid, &sig);
    compact[64] = static_cast<uint8_t>(27 + recid);
    return hex::encode(compact, sizeof compact);
}

std::string secp256k1_public_key_of(const std::array<uint8_t, 32> &private_key) {
    secp256k1_pubkey key;
    if (!secp256k1_ec_pubkey_create(signing_context(), &key, private_key.data()))
        signing_failed("the secp256k1 private key is invalid");
    uint8_t out[65];
    size_t out_len = sizeof out;
    secp256k1_ec_pubkey_serialize(signing_context(), out, &out_len, &key, SECP256K1_EC_UNCOMPRESSED);
    return hex::encode(out, out_len);
}

}  // namespace vep::attestation
