// See plugin_set.hpp.
#include "plugin/plugin_set.hpp"

namespace vep::host {

void PluginSet::add(std::shared_ptr<const LoadedPlugin> plugin) {
    auto key = std::make_pair(static_cast<int>(plugin->kind), plugin->name);
    if (auto it = index_.find(key); it != index_.end())
        throw PluginLoadError("plugin " + plugin->path + ": a " + kind_name(plugin->kind) + " plugin named \"" +
                              plugin->name + "\" is already loaded from " + it->second->path);
    index_.emplace(std::move(key), plugin);
    plugins_.push_back(std::move(plugin));
}

std::shared_ptr<const LoadedPlugin> PluginSet::find(vep_plugin_kind kind, const std::string &name) const {
    auto it = index_.find(std::make_pair(static_cast<int>(kind), name));
    return it == index_.end() ? nullptr : it->second;
}

std::shared_ptr<const LoadedPlugin> PluginSet::require(vep_plugin_kind kind, const std::string &name,
                                                       const std::string &needed_by) const {
    if (auto p = find(kind, name)) return p;
    std::string loaded;
    for (const auto &p : plugins_)
        if (p->kind == kind) loaded += (loaded.empty() ? "" : ", ") + p->name;
    throw PluginLoadError(needed_by + " needs the " + kind_name(kind) + " plugin \"" + name +
                          "\", which is not loaded (loaded " + kind_name(kind) + " plugins: " +
                          (loaded.empty() ? "none" : loaded) + "; add its file to plugins.load)");
}

PluginSet load_plugin_set(const Config &config, const PluginLoader &loader) {
    PluginSet set;
    for (const auto &entry : config.plugins.load)
        set.add(loader.load_file(PluginLoader::resolve(entry, config.plugins.directories, config.directory)));
    return set;
}

}  // namespace vep::host
