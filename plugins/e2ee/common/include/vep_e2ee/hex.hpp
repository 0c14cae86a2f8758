// Lowercase hex encoding and strict hex decoding for packed payloads and keys.
//
// Owns nothing; pure functions used by the codec, the key-text parser and the backends.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace vep::e2ee {

// Appends `len` bytes as lowercase hex to `out`.
void append_hex(std::string &out, const uint8_t *data, size_t len);

// The value of one hex digit (either case), or -1 when `c` is not a hex digit.
int hex_digit_value(char c);

// True when every character of `text` is a hex digit (either case).
bool is_hex(std::string_view text);

// Decodes `text` (even length, hex digits only — checked by the caller or by is_hex) into
// text.size() / 2 bytes at `out`. Returns false on a non-hex digit.
bool decode_hex(std::string_view text, uint8_t *out);

}  // namespace vep::e2ee
