// PluginLoader: opens one plugin file with Boost.DLL and checks it is a compatible
// venice-e2ee-proxy plugin. Owns nothing after the call: the returned LoadedPlugin owns the
// library handle and must outlive every object created from the plugin (clients hold a
// shared_ptr to it). A file replaced on disk while its old version is still mapped is loaded from
// a private copy (dlopen would otherwise return the old mapping), so dropping a new build over a
// plugin and reloading takes effect while old streams finish on the old code. Called by
// PluginSet (start-up, reload) and by the `plugins` CLI verbs.
#pragma once

#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include <boost/dll/shared_library.hpp>

#include "vep/abi.h"

namespace vep::host {

// A plugin that refused to load; what() names the plugin file and the reason.
class PluginLoadError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

// One loaded plugin library and its checked descriptor.
struct LoadedPlugin {
    std::string path;
    std::string name;
    std::string version;
    std::string description;
    vep_plugin_kind kind;
    uint32_t abi_major;
    uint32_t abi_minor;
    const vep_plugin_descriptor *descriptor;
    boost::dll::shared_library library;
};

// "cipher", "attestation", "tool_format", "filter" (or "unknown").
const char *kind_name(vep_plugin_kind kind);

class PluginLoader {
  public:
    explicit PluginLoader(const vep_host_api *host_api);

    // Loads and checks one file; throws PluginLoadError.
    std::shared_ptr<const LoadedPlugin> load_file(const std::string &path) const;

    // Finds `entry` (a file name without ".so", or an absolute path) in `directories`
    // ("$ORIGIN" expands to the executable's directory; relative directories are relative to
    // `base_dir`). Throws PluginLoadError listing every path tried.
    static std::string resolve(const std::string &entry, const std::vector<std::string> &directories,
                               const std::string &base_dir);

    // `directories` with $ORIGIN and relative paths expanded.
    static std::vector<std::string> expand_directories(const std::vector<std::string> &directories,
                                                       const std::string &base_dir);

  private:
    const vep_host_api *host_api_;
};

}  // namespace vep::host
