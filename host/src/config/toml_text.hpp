// Writing TOML text by hand (without toml++): string literals and keys. Used by
// render_effective_config, by the reader's messages, and by the environment overrides to turn raw
// values into TOML.
#pragma once

#include <string>
#include <string_view>

namespace vep::host {

// A TOML basic string literal (quotes included): escapes '"', '\\' and control characters.
std::string toml_string_literal(std::string_view text);

// `name` as a TOML key: bare when it only has A-Z a-z 0-9 _ -, else a quoted string literal.
std::string toml_key(std::string_view name);

}  // namespace vep::host
