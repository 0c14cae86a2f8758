// Per-request tool-emulation state.
//
// Owns: the decision whether a chat request is tool-emulated, the tools exposed to the model
// (all of them, or only the named one), whether a tool call is required, the compact JSON of the
// exposed tools for the prompts, and a copy of the [tools] configuration. Built once per request
// by the tools stage after parsing; read by prompt building, classify() and ToolStreamDetector.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.hpp"
#include "openai/chat_request.hpp"

namespace vep::host::tools {

class ToolContext {
  public:
    // nullopt = plain chat (tools silently dropped): tools disabled, mode not "emulated",
    // tool_choice none, or no tools with tool_choice auto. Throws ProxyError invalid_request (400)
    // for: no tools with required/named choice, duplicate tool names, a parameters schema that
    // fails the shape check (only when validate_json_schema), a named choice not among the tools.
    static std::optional<ToolContext> build(const std::vector<ToolDefinition> &tools, const ToolChoice &tool_choice,
                                            const ToolsConfig &config);

    // The tools the model may call: every tool, or only the named one.
    const std::vector<ToolDefinition> &exposed_tools() const { return exposed_; }
    // Compact JSON array in OpenAI shape, e.g.
    // [{"type":"function","function":{"name":"x","description":"d","parameters":{...}}}];
    // description/parameters omitted when absent, schema keys sorted.
    const std::string &exposed_tools_json() const { return exposed_json_; }
    // True for tool_choice "required" and a named function.
    bool require_tool_call() const { return require_tool_call_; }
    const ToolsConfig &config() const { return config_; }
    // The exposed tool with this exact name; nullptr when none.
    const ToolDefinition *find_tool(std::string_view name) const;

  private:
    ToolContext(std::vector<ToolDefinition> exposed, bool require_tool_call, ToolsConfig config);

    std::vector<ToolDefinition> exposed_;
    std::string exposed_json_;
    bool require_tool_call_;
    ToolsConfig config_;
};

}  // namespace vep::host::tools
