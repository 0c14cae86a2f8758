// vep text helpers — the one copy of the small ASCII text functions the proxy, its plugins and the
// simulator share.
//
// Owns: XML attribute escaping (the tool-history forms <previous_tool_call id="..."> and
// <tool_result id="...">: sdk.hpp's ToolFormat defaults and the host's default history renderer),
// ASCII trimming and lower-casing (attestation evidence fields, GLM value typing), `*` globs on
// model ids (client key scopes, per-model attestation workload policy). JSON string
// escaping lives in json.hpp (json::write_string). Header-only, no ABI.
#pragma once

#include <string>
#include <string_view>

namespace vep {

// `in` with & " < > replaced by their XML entities (attribute-safe); every other byte unchanged.
inline std::string escape_attribute(std::string_view in) {
    std::string out;
    out.reserve(in.size());
    for (char c : in) {
        switch (c) {
        case '&': out += "&amp;"; break;
        case '"': out += "&quot;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        default: out += c;
        }
    }
    return out;
}

// `text` without leading and trailing ASCII whitespace (space, \t, \r, \n, \f, \v).
inline std::string_view trim_ascii(std::string_view text) {
    auto is_space = [](char c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
    };
    while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
    while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
    return text;
}

// A copy of `text` with A-Z lower-cased; every other byte unchanged.
inline std::string to_lower_ascii(std::string_view text) {
    std::string out(text);
    for (char &c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
}

// How glob_match compares ordinary bytes.
enum class GlobCase { Sensitive, AsciiInsensitive };

// True when `text` matches `pattern`, where `*` matches any run of bytes (also empty), `?` any one
// byte and every other byte itself (A-Z equal to a-z under GlobCase::AsciiInsensitive). Iterative
// with one backtrack point (the last `*`): never recursive.
inline bool glob_match(std::string_view pattern, std::string_view text, GlobCase mode = GlobCase::Sensitive) {
    const auto fold = [mode](char c) {
        return mode == GlobCase::AsciiInsensitive && c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
    };
    size_t p = 0, t = 0, star = std::string_view::npos, mark = 0;
    while (t < text.size()) {
        if (p < pattern.size() && pattern[p] == '*') {
            star = p++;
            mark = t;
        } else if (p < pattern.size() && (pattern[p] == '?' || fold(pattern[p]) == fold(text[t]))) {
            ++p;
            ++t;
        } else if (star != std::string_view::npos) {
            p = star + 1;
            t = ++mark;
        } else {
            return false;
        }
    }
    while (p < pattern.size() && pattern[p] == '*') ++p;
    return p == pattern.size();
}

}  // namespace vep
