// See config_commands.hpp.
#include "app/config_commands.hpp"

#include <iostream>

#include "config/loader.hpp"
#include "http/exposure_policy.hpp"
#include "plugin/host_services.hpp"
#include "runtime/generation.hpp"

namespace vep::host {

int run_check_config(const std::vector<std::string> &args) {
    if (args.size() != 1) {
        std::cerr << "usage: venice-e2ee-proxy check-config <config.toml>\n";
        return 2;
    }
    try {
        Config config = load_config_file(args[0], Environment::from_process());
        const bool key_missing = config.venice.api_key.blank();
        const std::string rendered = render_effective_config(config);
        const PluginLoader loader(host_services());
        const auto generation =
            Generation::build(std::move(config), loader, std::make_shared<ConcurrencyGate>(), GenerationPurpose::Check);
        check_exposure(generation->config());
        std::cout << rendered;
        if (key_missing)
            std::cerr << "warning: venice.api_key is empty; the server refuses to start until it is set "
                         "(VENICE_E2EE_PROXY__VENICE__API_KEY)\n";
        std::cerr << "configuration OK: " << args[0] << "\n";
        return 0;
    } catch (const std::exception &e) {
        std::cerr << "configuration invalid: " << e.what() << "\n";
        return 1;
    }
}

}  // namespace vep::host
