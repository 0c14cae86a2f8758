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

const ToolCatalog::Tool *ToolCatalog::find(std::string_view name) const {
    for (const auto &tool : tools_)
        if (tool.name == name) return &tool;
    return nullptr;
}

}  // namespace vep::tools
