// The configuration loader's public API: a TOML file (toml++) merged with
// VENICE_E2EE_PROXY__SECTION__KEY environment overrides, type-checked key by key, then validated
// (validation.hpp); every key is described once in the key table (key_table.hpp). Called by the
// CLI (`venice-e2ee-proxy FILE`, `check-config FILE`), the reload and tests.
//
// Errors (ConfigError) name where the value was set - "file:line:col" or "env VAR" - and the key
// path. All type errors and unknown keys of one load are reported together, one per line, in file
// order; then the first failing validation rule. The API key never appears in a message.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "config/config.hpp"
#include "config/config_error.hpp"
#include "config/duration.hpp"
#include "config/environment.hpp"
#include "config/log_filter.hpp"

namespace vep::host {

// Largest config file accepted, in bytes.
inline constexpr size_t kMaxConfigFileBytes = 1024 * 1024;
// Largest environment override value accepted, in bytes.
inline constexpr size_t kMaxEnvValueBytes = 64 * 1024;

// Loads `path` (a missing file is an error; parent directories are not searched). Config::path is
// `path` as given, Config::directory the absolute directory holding it.
Config load_config_file(const std::string &path, const Environment &env);

// Loads the built-in defaults plus the environment overrides alone: the start without a config
// file (containers). Config::path is kEnvironmentOnlySource; relative paths are relative to the
// working directory.
Config load_config_environment(const Environment &env);

// Config::path of a configuration loaded by load_config_environment().
inline constexpr const char *kEnvironmentOnlySource = "(no config file)";

// Loads TOML text; `source_name` stands for the file in locations and Config::path.
Config load_config_text(std::string_view toml, const std::string &source_name, const Environment &env);

// The effective configuration as TOML that load_config_text() reads back to the same values,
// except the API key, shown as "[REDACTED]" (or "" when blank).
std::string render_effective_config(const Config &config);

// The paths of the keys ("server.port") whose value differs between `old` and `next` and that only
// a restart applies, in table order; empty when a reload applies every change.
std::vector<std::string> restart_only_changes(const Config &old, const Config &next);

}  // namespace vep::host
