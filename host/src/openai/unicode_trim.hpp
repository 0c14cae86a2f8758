// Unicode-aware whitespace trimming.
//
// Owns: the "trimmed-empty" rule of the reference proxy (Rust's str::trim, which strips every Unicode
// White_Space code point, not only ASCII). Used by the chat request parser (blank names, ids,
// metadata.session_id) and the upstream event classifier ([DONE] detection).
#pragma once

#include <string_view>

namespace vep::host {

// `text` without leading and trailing Unicode White_Space (input is assumed to be UTF-8).
std::string_view unicode_trim(std::string_view text);

// Whether `text` is empty after unicode_trim().
inline bool is_blank(std::string_view text) { return unicode_trim(text).empty(); }

}  // namespace vep::host
