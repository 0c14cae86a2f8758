// PluginSet: the plugins one configuration loads, indexed by kind and descriptor name.
// Built by load_plugin_set() at start-up and on every reload (one set per configuration
// generation); read by the generation builder to instantiate ciphers, verifiers, tool formats and
// filter stages. Holding the set keeps every library loaded.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "config/config.hpp"
#include "plugin/plugin_loader.hpp"

namespace vep::host {

class PluginSet {
  public:
    // Adds a loaded plugin; throws PluginLoadError when a plugin of that kind and name exists.
    void add(std::shared_ptr<const LoadedPlugin> plugin);
    // The plugin of `kind` named `name`, or nullptr.
    std::shared_ptr<const LoadedPlugin> find(vep_plugin_kind kind, const std::string &name) const;
    // Like find() but throws PluginLoadError naming what is missing and what is loaded.
    std::shared_ptr<const LoadedPlugin> require(vep_plugin_kind kind, const std::string &name,
                                                const std::string &needed_by) const;
    const std::vector<std::shared_ptr<const LoadedPlugin>> &all() const { return plugins_; }

  private:
    std::vector<std::shared_ptr<const LoadedPlugin>> plugins_;
    std::map<std::pair<int, std::string>, std::shared_ptr<const LoadedPlugin>> index_;
};

// Loads every plugin in config.plugins.load from config.plugins.directories.
PluginSet load_plugin_set(const Config &config, const PluginLoader &loader);

}  // namespace vep::host
