#include "openai/unicode_trim.hpp"

#include <cstdint>

namespace vep::host {
namespace {

bool is_white_space(uint32_t cp) {
    switch (cp) {
    case 0x09: case 0x0A: case 0x0B: case 0x0C: case 0x0D: case 0x20:
    case 0x85: case 0xA0: case 0x1680:
    case 0x2028: case 0x2029: case 0x202F: case 0x205F: case 0x3000:
        return true;
    default:
        return cp >= 0x2000 && cp <= 0x200A;
    }
}

// Decodes the code point starting at text[i]; `len` receives its byte length (1 for bytes that
// do not start a well-formed sequence, which are never white space).
uint32_t decode_at(std::string_view text, size_t i, size_t &len) {
    const auto c = static_cast<unsigned char>(text[i]);
    auto cont = [&](size_t k) -> int {
        if (i + k >= text.size()) return -1;
        const auto b = static_cast<unsigned char>(text[i + k]);
        return (b & 0xC0) == 0x80 ? (b & 0x3F) : -1;
    };
    len = 1;
    if (c < 0x80) return c;
    if ((c & 0xE0) == 0xC0) {
        const int c1 = cont(1);
        if (c1 < 0) return 0xFFFD;
        len = 2;
        return (static_cast<uint32_t>(c & 0x1F) << 6) | static_cast<uint32_t>(c1);
    }
    if ((c & 0xF0) == 0xE0) {
        const int c1 = cont(1), c2 = cont(2);
        if (c1 < 0 || c2 < 0) return 0xFFFD;
        len = 3;
        return (static_cast<uint32_t>(c & 0x0F) << 12) | (static_cast<uint32_t>(c1) << 6) |
               static_cast<uint32_t>(c2);
    }
    return 0xFFFD;  // 4-byte sequences contain no white space
}

// Byte length of the white-space code point ending just before text[end], or 0.
size_t trailing_white_space_len(std::string_view text, size_t end) {
    size_t start = end;
    // Step back over at most three continuation bytes to the lead byte.
    for (int k = 0; k < 3 && start > 0; ++k) {
        --start;
        if ((static_cast<unsigned char>(text[start]) & 0xC0) != 0x80) break;
    }
    for (size_t s = start; s < end; ++s) {
        size_t len = 0;
        const uint32_t cp = decode_at(text, s, len);
        if (s + len == end) return is_white_space(cp) ? len : 0;
    }
    return 0;
}

}  // namespace

std::string_view unicode_trim(std::string_view text) {
    size_t begin = 0;
    while (begin < text.size()) {
        size_t len = 0;
        if (!is_white_space(decode_at(text, begin, len))) break;
        begin += len;
    }
    size_t end = text.size();
    while (end > begin) {
        const size_t len = trailing_white_space_len(text, end);
        if (len == 0) break;
        end -= len;
    }
    return text.substr(begin, end - begin);
}

}  // namespace vep::host
