// Shared helpers of the unit_tools tests.
//
// Owns: loading the real tool_format plugins (tools-<name>.so from VEP_PLUGIN_DIR) once per test
// binary through the host's PluginLoader and vep::client::ToolFormatClient — the same loader and
// ABI path the proxy uses — and building ToolDefinition/ToolChoice values from JSON text.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "config/config.hpp"
#include "openai/chat_request.hpp"
#include "tools/tool_context.hpp"
#include "vep/client.hpp"

namespace vep::host::tools::testing {

// The loaded plugin "tools-<format>" (format: "hermes", "qwen-xml", "glm-xml"); loaded on first
// use and kept for the life of the test binary. Throws PluginLoadError when it cannot load.
const client::ToolFormatClient &format(std::string_view format_name);

// ToolDefinitions from an OpenAI `tools` array (JSON text).
std::vector<ToolDefinition> tools_from_json(std::string_view tools_json);

// "auto", "none", "required" or a function name (named choice).
ToolChoice choice(std::string_view text);

// A tool context that must activate; fails the test otherwise.
ToolContext context(std::string_view tools_json, const ToolChoice &tool_choice = {}, const ToolsConfig &config = {});

}  // namespace vep::host::tools::testing
