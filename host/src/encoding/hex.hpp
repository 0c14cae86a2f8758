// Lowercase hex encoding and strict decoding for the host (nonces, key fingerprints, raw quotes).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace vep::host {

inline std::string to_hex(const unsigned char *data, size_t len) {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string out(len * 2, '0');
    for (size_t i = 0; i < len; ++i) {
        out[2 * i] = kDigits[data[i] >> 4];
        out[2 * i + 1] = kDigits[data[i] & 0xF];
    }
    return out;
}

inline std::string to_hex(std::string_view bytes) {
    return to_hex(reinterpret_cast<const unsigned char *>(bytes.data()), bytes.size());
}

// True when `text` is a non-empty, even-length run of hex digits.
inline bool is_hex(std::string_view text) {
    if (text.empty() || text.size() % 2 != 0) return false;
    for (char c : text)
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) return false;
    return true;
}

}  // namespace vep::host
