// ASCII whitespace in setting values: trimming and blank checks. Used by the validation rules, the
// log filter and duration parsers, Secret::blank() and the API key scrubbing.
#pragma once

#include <string_view>

namespace vep::host {

inline bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

// `s` without leading and trailing whitespace.
inline std::string_view trim(std::string_view s) {
    while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
    while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
    return s;
}

// Whether `s` is empty or only whitespace.
inline bool blank(std::string_view s) { return trim(s).empty(); }

}  // namespace vep::host
