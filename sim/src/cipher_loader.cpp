#include "cipher_loader.hpp"

#include <ctime>
#include <iostream>

#include <boost/dll/shared_library.hpp>
#include <boost/filesystem/operations.hpp>
#include <boost/filesystem/path.hpp>

#include "vep/abi.h"
#include "vep/sdk.hpp"

namespace vep::sim {
namespace {

// The loaded library plus the host API table the plugin keeps a pointer to.
struct PluginLibrary {
    vep_host_api api{};
    boost::dll::shared_library library;
};

void log_line(void *, vep_log_level level, vep_str plugin, vep_str message) {
    if (level < VEP_LOG_WARN) return;
    std::cerr << "venice-sim: plugin " << vep::view(plugin) << ": " << vep::view(message) << '\n';
}

int64_t now_unix(void *) { return static_cast<int64_t>(std::time(nullptr)); }

[[noreturn]] void fail(const std::string &file, const std::string &reason) {
    throw vep::Failure("cipher_plugin_load_failed", "cannot load cipher plugin " + file + ": " + reason);
}

}  // namespace

std::shared_ptr<vep::client::CipherClient> load_cipher_plugin(const std::string &plugin_dir,
                                                              const std::string &cipher_name) {
    const boost::filesystem::path file = boost::filesystem::path(plugin_dir) / ("e2ee-" + cipher_name + ".so");
    auto plugin = std::make_shared<PluginLibrary>();
    plugin->api.struct_size = sizeof(vep_host_api);
    plugin->api.abi_major = VEP_ABI_MAJOR;
    plugin->api.abi_minor = VEP_ABI_MINOR;
    plugin->api.host_ctx = nullptr;
    plugin->api.log = &log_line;
    plugin->api.now_unix = &now_unix;

    if (!boost::filesystem::exists(file)) fail(file.string(), "file not found");
    boost::system::error_code ec;
    plugin->library.load(file, boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local, ec);
    if (ec) fail(file.string(), ec.message());
    if (!plugin->library.has(VEP_ENTRY_SYMBOL)) fail(file.string(), "missing symbol " VEP_ENTRY_SYMBOL);
    auto &entry = plugin->library.get<const vep_plugin_descriptor *(const vep_host_api *, char *, size_t)>(
        VEP_ENTRY_SYMBOL);

    char reason[512] = {0};
    const vep_plugin_descriptor *descriptor = entry(&plugin->api, reason, sizeof reason);
    if (!descriptor) fail(file.string(), std::string("plugin refused the host: ") + reason);
    if (descriptor->abi_major != VEP_ABI_MAJOR)
        fail(file.string(), "plugin ABI major " + std::to_string(descriptor->abi_major) + " != host " +
                                std::to_string(VEP_ABI_MAJOR));
    try {
        return vep::client::CipherClient::create(descriptor, "{}", plugin);
    } catch (const vep::Failure &e) {
        fail(file.string(), e.code() + ": " + e.what());
    }
}

}  // namespace vep::sim
