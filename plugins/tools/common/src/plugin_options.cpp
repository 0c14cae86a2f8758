// require_no_options: see plugin_options.hpp.
#include "vep/tools/plugin_options.hpp"

#include <string>

#include "vep/sdk.hpp"

namespace vep::tools {

void require_no_options(const json::Value &config, std::string_view plugin_name) {
    if (!config.is_object() || config.as_object().empty()) return;
    std::string key;
    json::write_string(key, config.as_object().front().first);
    throw Failure("invalid_config", std::string(plugin_name) + " takes no options; unknown key " + key);
}

}  // namespace vep::tools
