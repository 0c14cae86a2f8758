// Strict Base64 decoder (see base64.hpp).
#include "vep/attestation/base64.hpp"

namespace vep::attestation {
namespace {

int sextet(char c) {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

}  // namespace

std::optional<std::vector<uint8_t>> base64_decode(std::string_view text) {
    std::vector<uint8_t> out;
    out.reserve(text.size() / 4 * 3 + 3);
    uint32_t acc = 0;
    size_t count = 0;    // sextets consumed
    size_t padding = 0;  // "=" seen
    for (char c : text) {
        if (is_space(c)) continue;
        if (c == '=') {
            ++padding;
            continue;
        }
        const int v = sextet(c);
        if (v < 0 || padding) return std::nullopt;
        acc = (acc << 6) | static_cast<uint32_t>(v);
        if (++count % 4 == 0) {
            out.push_back(static_cast<uint8_t>(acc >> 16));
            out.push_back(static_cast<uint8_t>(acc >> 8));
            out.push_back(static_cast<uint8_t>(acc));
            acc = 0;
        }
    }
    const size_t tail = count % 4;
    if (tail == 1 || padding > 2 || (padding && (tail + padding) % 4 != 0)) return std::nullopt;
    if (tail == 2) {
        if (acc & 0x0f) return std::nullopt;  // non-canonical trailing bits
        out.push_back(static_cast<uint8_t>(acc >> 4));
    } else if (tail == 3) {
        if (acc & 0x03) return std::nullopt;
        out.push_back(static_cast<uint8_t>(acc >> 10));
        out.push_back(static_cast<uint8_t>(acc >> 2));
    }
    return out;
}

}  // namespace vep::attestation
