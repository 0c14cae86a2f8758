// ToolCatalog: see tool_catalog.hpp.
#include "vep/tools/tool_catalog.hpp"

namespace vep::tools {

ToolCatalog::ToolCatalog(const json::Value &tools) {
    if (!tools.is_array()) return;
    for (const auto &entry : tools.as_array()) {
        const json::Value *function = entry.find("function");
        const json::Value *name = function ? function->find("name") : nullptr;
        if (!name || !name->is_string()) continue;
        const json::Value *parameters = function->find("parameters");
        tools_.push_back({name->as_string(), parameters && parameters->is_object() ? parameters : nullptr});
    }
}

const json::Value *ToolCatalog::parameters(std::string_view name) const {
    const Tool *tool = find(name);
    return tool ? tool->parameters : nullptr;
}

const json::Value *ToolCatalog::property(std::string_view tool, std::string_view key) const {
    const json::Value *schema = parameters(tool);
    const json::Value *properties = schema ? schema->find("properties") : nullptr;
    return properties ? properties->find(key) : nullptr;
}

std::optional<std::string_view> ToolCatalog::declared_name(std::string_view name) const {
    const Tool *tool = find(name);
    if (!tool) return std::nullopt;
    return tool->name;
}

std::vector<std::string_view> ToolCatalog::names() const {
    std::vector<std::string_view> out;
    for (const auto &tool : tools_) out.push_back(tool.name);
    return out;
}

const ToolCatalog::Tool *ToolCatalog::find(std::string_view name) const {
    for (const auto &tool : tools_)
        if (tool.name == name) return &tool;
    return nullptr;
}

bool all_calls_usable(const ParsedOutput &parsed, const ToolCatalog &tools) {
    for (const auto &call : parsed.calls) {
        if (!tools.empty() && !tools.contains(call.name)) return false;
        try {
            if (!json::parse(call.arguments).is_object()) return false;
        } catch (const json::ParseError &) {
            return false;
        }
    }
    return true;
}

}  // namespace vep::tools
