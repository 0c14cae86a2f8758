// Shared helpers of the unit_tools tests: see tool_test_support.hpp.
#include "tool_test_support.hpp"

#include <map>
#include <memory>
#include <stdexcept>

#include "plugin/host_services.hpp"
#include "plugin/plugin_loader.hpp"

namespace vep::host::tools::testing {

const client::ToolFormatClient &format(std::string_view format_name) {
    static std::map<std::string, std::unique_ptr<client::ToolFormatClient>, std::less<>> loaded;
    if (auto it = loaded.find(format_name); it != loaded.end()) return *it->second;
    const PluginLoader loader(host_services());
    const auto plugin = loader.load_file(std::string(VEP_PLUGIN_DIR) + "/tools-" + std::string(format_name) + ".so");
    auto client = std::make_unique<client::ToolFormatClient>(plugin->descriptor, "{}", plugin);
    return *loaded.emplace(std::string(format_name), std::move(client)).first->second;
}

std::vector<ToolDefinition> tools_from_json(std::string_view tools_json) {
    std::vector<ToolDefinition> tools;
    const json::Value parsed = json::parse(tools_json);
    for (const auto &entry : parsed.as_array()) {
        const json::Value &function = *entry.find("function");
        ToolDefinition tool;
        tool.name = function.find("name")->as_string();
        if (const json::Value *d = function.find("description"); d && d->is_string()) tool.description = d->as_string();
        if (const json::Value *p = function.find("parameters"); p && p->is_object()) tool.parameters = *p;
        tools.push_back(std::move(tool));
    }
    return tools;
}

ToolChoice choice(std::string_view text) {
    if (text == "auto") return {ToolChoice::Kind::Auto, {}};
    if (text == "none") return {ToolChoice::Kind::None, {}};
    if (text == "required") return {ToolChoice::Kind::Required, {}};
    return {ToolChoice::Kind::Named, std::string(text)};
}

ToolContext context(std::string_view tools_json, const ToolChoice &tool_choice, const ToolsConfig &config) {
    auto built = ToolContext::build(tools_from_json(tools_json), tool_choice, config);
    if (!built) throw std::runtime_error("tool context did not activate");
    return std::move(*built);
}

}  // namespace vep::host::tools::testing
