// select_format: see format_selection.hpp.
#include "tools/format_selection.hpp"

#include "vep/text.hpp"

namespace vep::host::tools {

std::string select_format(std::string_view model, const ToolsConfig &config) {
    const std::string id = vep::to_lower_ascii(model);
    for (const auto &rule : config.formats)
        if (id.find(vep::to_lower_ascii(rule.match)) != std::string::npos) return rule.format;
    return config.default_format;
}

}  // namespace vep::host::tools
