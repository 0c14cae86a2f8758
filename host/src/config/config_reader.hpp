// Reads a parsed, environment-merged TOML tree into a Config by walking the key table
// (key_table.hpp): type-checks every value by its kind, records where each key was set
// (Config::sources), and reports type errors and unknown keys as problems. Called by the loader
// (loader.cpp) before validation.
#pragma once

#include <toml++/toml.h>

#include "config/config.hpp"
#include "config/env_overrides.hpp"
#include "config/load_problems.hpp"

namespace vep::host {

// Fills `config` from `root` (zeroising the API key's TOML string); problems go to `problems`.
// `texts` holds the raw text of environment overrides, which string keys take as written.
void read_config(toml::table &root, const OverrideTexts &texts, LoadProblems &problems, Config &config);

}  // namespace vep::host
