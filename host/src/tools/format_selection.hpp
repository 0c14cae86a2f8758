// Choice of the tool_format plugin for a model (made configurable).
//
// Owns: the rule "lower-cased model id contains the lower-cased rule match → that format; first
// rule wins; otherwise default_format". Called by the tools stage once per tool-emulated request
// to pick the ToolFormatClient by plugin name ("hermes", "qwen-xml", "glm-xml", ...).
#pragma once

#include <string>
#include <string_view>

#include "config/config.hpp"

namespace vep::host::tools {

std::string select_format(std::string_view model, const ToolsConfig &config);

}  // namespace vep::host::tools
