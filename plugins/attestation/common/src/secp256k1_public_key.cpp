// secp256k1 public-key normalisation and Ethereum addresses (see secp256k1_public_key.hpp).
#include "vep/attestation/secp256k1_public_key.hpp"

#include <secp256k1.h>

#include "vep/attestation/keccak256.hpp"
#include "vep/hex.hpp"
#include "vep/sdk.hpp"
#include "vep/text.hpp"

namespace vep::attestation {
namespace {

[[noreturn]] void invalid_key(const std::string &why) {
    throw Failure("attestation_invalid_signing_key", "signing public key " + why);
}

}  // namespace

std::string normalize_secp256k1_public_key(std::string_view key) {
    const std::string_view digits = hex::strip_0x(trim_ascii(key));
    if (digits.empty()) invalid_key("is empty");
    auto bytes = hex::decode(digits);
    if (!bytes) invalid_key("is not valid hex");
    if (bytes->size() == 64) bytes->insert(bytes->begin(), 0x04);
    const bool uncompressed = bytes->size() == 65 && (*bytes)[0] == 0x04;
    const bool compressed = bytes->size() == 33 && ((*bytes)[0] == 0x02 || (*bytes)[0] == 0x03);
    if (!uncompressed && !compressed)
        invalid_key("must be 33 (compressed) or 65 (uncompressed) bytes, got " + std::to_string(bytes->size()));
    secp256k1_pubkey point;
    if (!secp256k1_ec_pubkey_parse(secp256k1_context_static, &point, bytes->data(), bytes->size()))
        invalid_key("is not a valid secp256k1 point");
    uint8_t out[65];
    size_t out_len = sizeof out;
    if (!secp256k1_ec_pubkey_serialize(secp256k1_context_static, out, &out_len, &point, SECP256K1_EC_UNCOMPRESSED) ||
        out_len != sizeof out)
        invalid_key("could not be serialised");
    return hex::encode(out, out_len);
}

std::string ethereum_address(const std::string &uncompressed_pubkey_hex_130) {
    if (uncompressed_pubkey_hex_130.size() != 130) invalid_key("must be 130 hex chars for an address");
    const auto bytes = hex::decode(uncompressed_pubkey_hex_130);
    if (!bytes || (*bytes)[0] != 0x04) invalid_key("must be uncompressed hex (04 || X || Y) for an address");
    const auto digest = keccak256(bytes->data() + 1, 64);
    return "0x" + hex::encode(digest.data() + 12, 20);
}

}  // namespace vep::attestation
