#include "vep_e2ee/public_key_text.hpp"

#include <string>

#include "vep/hex.hpp"
#include "vep/sdk.hpp"
#include "vep_e2ee/failure_codes.hpp"

namespace vep::e2ee {

namespace {

[[noreturn]] void reject(const std::string &why) { throw Failure(codes::kInvalidPublicKey, "invalid public key: " + why); }

}  // namespace

Sec1Key parse_public_key_text(std::string_view text) {
    text = hex::strip_0x(text);
    if (!hex::all_digits(text)) reject("not hex");
    Sec1Key key;
    switch (text.size()) {
    case 2 * kPointSize:
        hex::decode_into(text, key.bytes.data());
        key.size = kPointSize;
        if (key.bytes[0] != kUncompressedPrefix) reject("130-hex key must start with 04");
        break;
    case 2 * (kPointSize - 1):
        key.bytes[0] = kUncompressedPrefix;
        hex::decode_into(text, key.bytes.data() + 1);
        key.size = kPointSize;
        break;
    case 2 * kCompressedPointSize:
        hex::decode_into(text, key.bytes.data());
        key.size = kCompressedPointSize;
        if (key.bytes[0] != 0x02 && key.bytes[0] != 0x03) reject("66-hex key must start with 02 or 03");
        break;
    default:
        reject("expected 130, 128 or 66 hex characters, got " + std::to_string(text.size()));
    }
    return key;
}

}  // namespace vep::e2ee
