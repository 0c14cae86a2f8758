// See plugin_commands.hpp.
#include "app/plugin_commands.hpp"

#include <algorithm>
#include <filesystem>
#include <iostream>

#include "config/loader.hpp"
#include "plugin/host_services.hpp"
#include "plugin/plugin_loader.hpp"

namespace vep::host {
namespace {

bool report(const PluginLoader &loader, const std::string &path) {
    try {
        const auto p = loader.load_file(path);
        std::cout << "ok      " << p->name << "  kind=" << kind_name(p->kind) << "  version=" << p->version
                  << "  abi=" << p->abi_major << "." << p->abi_minor << "  " << p->path << "\n";
        if (!p->description.empty()) std::cout << "        " << p->description << "\n";
        return true;
    } catch (const PluginLoadError &e) {
        std::cout << "FAILED  " << e.what() << "\n";
        return false;
    }
}

int usage() {
    std::cerr << "usage: venice-e2ee-proxy plugins list [--config FILE]\n"
                 "       venice-e2ee-proxy plugins check FILE\n";
    return 2;
}

}  // namespace

int run_plugins_command(const std::vector<std::string> &args) {
    if (args.empty()) return usage();
    const PluginLoader loader(host_services());
    if (args[0] == "check") {
        if (args.size() != 2) return usage();
        return report(loader, args[1]) ? 0 : 1;
    }
    if (args[0] != "list") return usage();
    PluginsConfig plugins;
    std::string base_dir;
    if (args.size() == 3 && args[1] == "--config") {
        try {
            const Config config = load_config_file(args[2], Environment::from_process());
            plugins = config.plugins;
            base_dir = config.directory;
        } catch (const ConfigError &e) {
            std::cerr << e.what() << "\n";
            return 1;
        }
    } else if (args.size() != 1) {
        return usage();
    }
    bool all_ok = true;
    for (const auto &dir : PluginLoader::expand_directories(plugins.directories, base_dir)) {
        std::cout << "directory " << dir << "\n";
        std::error_code ec;
        std::vector<std::string> files;
        for (const auto &entry : std::filesystem::directory_iterator(dir, ec))
            if (entry.path().extension() == ".so") files.push_back(entry.path().string());
        if (ec) {
            std::cout << "        (cannot read: " << ec.message() << ")\n";
            continue;
        }
        std::sort(files.begin(), files.end());
        for (const auto &f : files) all_ok = report(loader, f) && all_ok;
    }
    std::cout << "configured to load:";
    for (const auto &entry : plugins.load) std::cout << " " << entry;
    std::cout << "\n";
    return all_ok ? 0 : 1;
}

}  // namespace vep::host
