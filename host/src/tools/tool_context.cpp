// ToolContext: see tool_context.hpp.
#include "tools/tool_context.hpp"

#include <set>

#include "errors/proxy_error.hpp"
#include "tools/schema_validation.hpp"

namespace vep::host::tools {
namespace {

std::string quoted(std::string_view text) {
    std::string out;
    json::write_string(out, text);
    return out;
}

[[noreturn]] void invalid_field(std::string_view field, const std::string &detail) {
    throw ProxyError::of("invalid_request", "invalid field " + std::string(field) + ": " + detail);
}

std::string tools_json(const std::vector<ToolDefinition> &tools) {
    std::string out = "[";
    for (const auto &tool : tools) {
        if (out.size() > 1) out += ',';
        out += R"({"type":"function","function":{"name":)";
        json::write_string(out, tool.name);
        if (tool.description) {
            out += R"(,"description":)";
            json::write_string(out, *tool.description);
        }
        if (tool.parameters) {
            out += R"(,"parameters":)";
            out += json::dump_sorted(*tool.parameters);
        }
        out += "}}";
    }
    out += ']';
    return out;
}

}  // namespace

ToolContext::ToolContext(std::vector<ToolDefinition> exposed, bool require_tool_call, ToolsConfig config)
    : exposed_(std::move(exposed)),
      exposed_json_(tools_json(exposed_)),
      require_tool_call_(require_tool_call),
      config_(std::move(config)) {}

std::optional<ToolContext> ToolContext::build(const std::vector<ToolDefinition> &tools, const ToolChoice &tool_choice,
                                              const ToolsConfig &config) {
    if (!config.enabled || config.mode != "emulated") return std::nullopt;
    if (tool_choice.kind == ToolChoice::Kind::None) return std::nullopt;
    const bool required = tool_choice.kind == ToolChoice::Kind::Required || tool_choice.kind == ToolChoice::Kind::Named;
    if (tools.empty()) {
        if (required) invalid_field("tool_choice", "tool_choice requires at least one function tool");
        return std::nullopt;
    }

    std::set<std::string_view> seen;
    for (const auto &tool : tools) {
        if (!seen.insert(tool.name).second) invalid_field("tools", "duplicate function tool name " + quoted(tool.name));
        if (config.validate_json_schema && tool.parameters) {
            if (auto error = schema_shape_error(*tool.parameters))
                invalid_field("tools", "tool " + quoted(tool.name) +
                                           " has an unsupported or invalid parameters schema: " + *error);
        }
    }

    if (tool_choice.kind != ToolChoice::Kind::Named) return ToolContext(tools, required, config);
    for (const auto &tool : tools)
        if (tool.name == tool_choice.name) return ToolContext({tool}, true, config);
    invalid_field("tool_choice", "requested function tool " + quoted(tool_choice.name) + " is not present in tools");
}

const ToolDefinition *ToolContext::find_tool(std::string_view name) const {
    for (const auto &tool : exposed_)
        if (tool.name == name) return &tool;
    return nullptr;
}

}  // namespace vep::host::tools
