// vep::hex — the one hex codec of the proxy, its plugins and the simulator.
//
// Owns: lowercase encoding, strict decoding (digits of either case, nothing else: no whitespace,
// no "0x"; strip_0x() removes that prefix where a caller accepts it) and the digit checks. Pure
// inline functions over a 256-entry table, so the e2ee codec can decode every streamed chunk
// without a call or a branch per digit. Callers: the e2ee and attestation plugins, the simulator,
// the host (nonces, key fingerprints, quote files) and json.hpp (\u escapes). Header-only, no ABI.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vep::hex {

namespace detail {

constexpr std::array<int8_t, 256> make_digit_values() {
    std::array<int8_t, 256> t{};
    for (auto &v : t) v = -1;
    for (int c = '0'; c <= '9'; ++c) t[c] = static_cast<int8_t>(c - '0');
    for (int c = 'a'; c <= 'f'; ++c) t[c] = static_cast<int8_t>(c - 'a' + 10);
    for (int c = 'A'; c <= 'F'; ++c) t[c] = static_cast<int8_t>(c - 'A' + 10);
    return t;
}

// The value of each character as a hex digit, or -1.
inline constexpr std::array<int8_t, 256> kDigitValue = make_digit_values();
inline constexpr char kDigits[] = "0123456789abcdef";

}  // namespace detail

// The value of one hex digit (either case), or -1 when `c` is not a hex digit.
inline int digit_value(char c) { return detail::kDigitValue[static_cast<unsigned char>(c)]; }

// True when every character of `text` is a hex digit (either case); true for "" and odd lengths.
inline bool all_digits(std::string_view text) {
    for (char c : text)
        if (digit_value(c) < 0) return false;
    return true;
}

// True when `text` is the hex of at least one byte: non-empty, even length, hex digits only.
inline bool is_hex(std::string_view text) { return !text.empty() && text.size() % 2 == 0 && all_digits(text); }

// Appends `len` bytes as lowercase hex to `out`.
inline void append(std::string &out, const uint8_t *data, size_t len) {
    const size_t start = out.size();
    out.resize(start + 2 * len);
    char *dst = out.data() + start;
    for (size_t i = 0; i < len; ++i) {
        dst[2 * i] = detail::kDigits[data[i] >> 4];
        dst[2 * i + 1] = detail::kDigits[data[i] & 0x0F];
    }
}

// Lowercase hex of `len` bytes, of a byte vector, or of the bytes of a string.
inline std::string encode(const uint8_t *data, size_t len) {
    std::string out;
    append(out, data, len);
    return out;
}
inline std::string encode(const std::vector<uint8_t> &bytes) { return encode(bytes.data(), bytes.size()); }
inline std::string encode(std::string_view bytes) {
    return encode(reinterpret_cast<const uint8_t *>(bytes.data()), bytes.size());
}

// Decodes the first text.size() / 2 digit pairs of `text` into as many bytes at `out` (the caller
// checks the length). False on a non-hex digit; `out` is then partly written.
inline bool decode_into(std::string_view text, uint8_t *out) {
    const size_t n = text.size() / 2;
    for (size_t i = 0; i < n; ++i) {
        const int hi = digit_value(text[2 * i]);
        const int lo = digit_value(text[2 * i + 1]);
        if ((hi | lo) < 0) return false;
        out[i] = static_cast<uint8_t>((hi << 4) | lo);
    }
    return true;
}

// The bytes of `text` (either case); nullopt on an odd length or a non-hex character. "" gives
// an empty vector.
inline std::optional<std::vector<uint8_t>> decode(std::string_view text) {
    if (text.size() % 2 != 0) return std::nullopt;
    std::vector<uint8_t> out(text.size() / 2);
    if (!decode_into(text, out.data())) return std::nullopt;
    return out;
}

// `text` without one leading "0x" or "0X".
inline std::string_view strip_0x(std::string_view text) {
    if (text.size() >= 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) text.remove_prefix(2);
    return text;
}

}  // namespace vep::hex
