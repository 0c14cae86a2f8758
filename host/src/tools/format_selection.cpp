// select_format: see format_selection.hpp.
#include "tools/format_selection.hpp"

namespace vep::host::tools {
namespace {

std::string lower(std::string_view text) {
    std::string out(text);
    for (char &c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
}

}  // namespace

std::string select_format(std::string_view model, const ToolsConfig &config) {
    const std::string id = lower(model);
    for (const auto &rule : config.formats)
        if (id.find(lower(rule.match)) != std::string::npos) return rule.format;
    return config.default_format;
}

}  // namespace vep::host::tools
