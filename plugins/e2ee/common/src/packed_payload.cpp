#include "vep_e2ee/packed_payload.hpp"

#include <string>

#include "vep/hex.hpp"
#include "vep/sdk.hpp"
#include "vep_e2ee/failure_codes.hpp"

namespace vep::e2ee {

PackedPayload parse_packed_payload(std::string_view text) {
    if (text.empty()) throw Failure(codes::kEmptyPayload, "encrypted payload is empty");
    if (text.size() % 2 != 0)
        throw Failure(codes::kOddLength, "encrypted payload has an odd number of hex characters (" +
                                             std::to_string(text.size()) + ")");
    if (text.size() < kMinPayloadHex)
        throw Failure(codes::kTooShort, "encrypted payload has " + std::to_string(text.size()) +
                                            " hex characters, at least " + std::to_string(kMinPayloadHex) +
                                            " are required");
    if (!hex::all_digits(text)) throw Failure(codes::kNotHex, "encrypted payload is not hex");

    PackedPayload payload;
    hex::decode_into(text.substr(0, 2 * kPointSize), payload.ephemeral_public.data());
    if (payload.ephemeral_public[0] != kUncompressedPrefix)
        throw Failure(codes::kBadPointPrefix, "ephemeral public key does not start with 0x04");
    hex::decode_into(text.substr(2 * kPointSize, 2 * kNonceSize), payload.nonce.data());
    hex::decode_into(text.substr(text.size() - 2 * kTagSize), payload.tag.data());
    payload.ciphertext_hex = text.substr(2 * kHeaderSize, text.size() - 2 * kHeaderSize - 2 * kTagSize);
    return payload;
}

}  // namespace vep::e2ee
