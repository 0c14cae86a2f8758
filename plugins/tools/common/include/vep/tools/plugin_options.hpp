// Configuration check shared by the tool_format plugins.
//
// Owns: the rule that these plugins take no options, so a typo in
// [plugin_config.tools-<name>] is a start-up error instead of being ignored. Called from each
// plugin's constructor with the config object the SDK parsed.
#pragma once

#include <string_view>

#include "vep/json.hpp"

namespace vep::tools {

// Throws Failure("invalid_config", ...) naming the first key when `config` is not empty.
void require_no_options(const json::Value &config, std::string_view plugin_name);

}  // namespace vep::tools
