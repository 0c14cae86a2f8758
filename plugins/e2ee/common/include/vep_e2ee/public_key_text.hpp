// Textual forms of a peer public key accepted by normalize_public_key and encrypt.
//
// Owns the text rules only: optional 0x, either case, 130 hex (04||X||Y), 128 hex (X||Y, 04 is
// prepended) or 66 hex (02/03||X, compressed). Curve membership and decompression are the
// backend's job (FieldCodec::decode_point).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "vep_e2ee/packed_payload.hpp"

namespace vep::e2ee {

// A SEC1 encoding of 33 (compressed) or 65 (uncompressed) bytes.
struct Sec1Key {
    Point bytes{};
    size_t size = 0;
};

// Parses the text of a public key. Throws vep::Failure("e2ee_invalid_public_key") for any other
// length, a non-hex character or a wrong prefix byte (hybrid 06/07 encodings are refused).
Sec1Key parse_public_key_text(std::string_view text);

}  // namespace vep::e2ee
