// Semantic validation of a loaded Config: the rules of the key table (key_table.cpp), those of the
// reference proxy's keys first, then those of this project's new keys, each group in table order
// (each bound is documented in config/default.toml). Called by the loader after every key was
// read and type-checked; the first failing rule throws.
#pragma once

#include <string_view>

#include "config/config.hpp"

namespace vep::host {

// Throws ConfigError "LOCATION: invalid config value for FIELD: MESSAGE", where LOCATION is where
// FIELD (or the setting it is compared with) was set, or the config path for defaults.
void validate_config(const Config &config);

// Whether `name` is an HTTP header field name (an RFC 9110 token).
bool is_http_header_name(std::string_view name);

}  // namespace vep::host
