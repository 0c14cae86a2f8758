#include "vep_e2ee/packed_payload.hpp"

#include <string>

#include "vep/sdk.hpp"
#include "vep_e2ee/failure_codes.hpp"
#include "vep_e2ee/hex.hpp"

namespace vep::e2ee {

PackedPayload parse_packed_payload(std::string_view hex) {
    if (hex.empty()) throw Failure(codes::kEmptyPayload, "encrypted payload is empty");
    if (hex.size() % 2 != 0)
        throw Failure(codes::kOddLength, "encrypted payload has an odd number of hex characters (" +
                                             std::to_string(hex.size()) + ")");
    if (hex.size() < kMinPayloadHex)
        throw Failure(codes::kTooShort, "encrypted payload has " + std::to_string(hex.size()) +
                                            " hex characters, at least " + std::to_string(kMinPayloadHex) +
                                            " are required");
    if (!is_hex(hex)) throw Failure(codes::kNotHex, "encrypted payload is not hex");

    PackedPayload payload;
    decode_hex(hex.substr(0, 2 * kPointSize), payload.ephemeral_public.data());
    if (payload.ephemeral_public[0] != kUncompressedPrefix)
        throw Failure(codes::kBadPointPrefix, "ephemeral public key does not start with 0x04");
    decode_hex(hex.substr(2 * kPointSize, 2 * kNonceSize), payload.nonce.data());
    decode_hex(hex.substr(hex.size() - 2 * kTagSize), payload.tag.data());
    payload.ciphertext_hex = hex.substr(2 * kHeaderSize, hex.size() - 2 * kHeaderSize - 2 * kTagSize);
    return payload;
}

}  // namespace vep::e2ee
