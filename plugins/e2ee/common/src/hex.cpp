#include "vep_e2ee/hex.hpp"

#include <array>

namespace vep::e2ee {

namespace {

// 256-entry table: the digit's value, or -1.
constexpr std::array<int8_t, 256> make_hex_table() {
    std::array<int8_t, 256> t{};
    for (auto &v : t) v = -1;
    for (int c = '0'; c <= '9'; ++c) t[c] = static_cast<int8_t>(c - '0');
    for (int c = 'a'; c <= 'f'; ++c) t[c] = static_cast<int8_t>(c - 'a' + 10);
    for (int c = 'A'; c <= 'F'; ++c) t[c] = static_cast<int8_t>(c - 'A' + 10);
    return t;
}

constexpr std::array<int8_t, 256> kHexValue = make_hex_table();
constexpr char kHexDigits[] = "0123456789abcdef";

}  // namespace

void append_hex(std::string &out, const uint8_t *data, size_t len) {
    const size_t start = out.size();
    out.resize(start + 2 * len);
    char *dst = out.data() + start;
    for (size_t i = 0; i < len; ++i) {
        dst[2 * i] = kHexDigits[data[i] >> 4];
        dst[2 * i + 1] = kHexDigits[data[i] & 0x0F];
    }
}

int hex_digit_value(char c) { return kHexValue[static_cast<unsigned char>(c)]; }

bool is_hex(std::string_view text) {
    for (char c : text)
        if (kHexValue[static_cast<unsigned char>(c)] < 0) return false;
    return true;
}

bool decode_hex(std::string_view text, uint8_t *out) {
    const size_t n = text.size() / 2;
    for (size_t i = 0; i < n; ++i) {
        const int hi = kHexValue[static_cast<unsigned char>(text[2 * i])];
        const int lo = kHexValue[static_cast<unsigned char>(text[2 * i + 1])];
        if ((hi | lo) < 0) return false;
        out[i] = static_cast<uint8_t>((hi << 4) | lo);
    }
    return true;
}

}  // namespace vep::e2ee
