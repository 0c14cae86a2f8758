// See plugin_loader.hpp.
#include "plugin/plugin_loader.hpp"

#include <dlfcn.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstddef>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <tuple>

#include <boost/dll/runtime_symbol_info.hpp>

namespace vep::host {
namespace {

std::string vtable_size_for(vep_plugin_kind kind, size_t &required) {
    switch (kind) {
    case VEP_KIND_CIPHER: required = sizeof(vep_cipher_vtable); return "cipher";
    case VEP_KIND_ATTESTATION: required = sizeof(vep_attestation_vtable); return "attestation";
    case VEP_KIND_TOOL_FORMAT: required = sizeof(vep_tool_format_vtable); return "tool_format";
    case VEP_KIND_FILTER: required = VEP_FILTER_VTABLE_SIZE_1_0; return "filter";
    }
    required = 0;
    return "";
}

std::string view_string(vep_str s) { return s.data ? std::string(s.data, s.len) : std::string(); }

// Which file a path named when we loaded it: device, inode, size, modification time.
using FileIdentity = std::tuple<dev_t, ino_t, off_t, int64_t, int64_t>;

std::optional<FileIdentity> identity_of(const std::string &path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) return std::nullopt;
    return FileIdentity{st.st_dev, st.st_ino, st.st_size, st.st_mtim.tv_sec, st.st_mtim.tv_nsec};
}

// The identity of the file each path named when it was last dlopen'ed from that path.
std::mutex loaded_mutex;
std::map<std::string, FileIdentity> loaded_identities;

// True when `path` is mapped in this process (dlopen matches by name) but the file there now is
// a different one: dlopen(path) would hand back the old code.
bool replaced_while_loaded(const std::string &path, const FileIdentity &now) {
    void *existing = dlopen(path.c_str(), RTLD_LAZY | RTLD_NOLOAD);
    if (!existing) return false;
    dlclose(existing);
    std::lock_guard<std::mutex> lock(loaded_mutex);
    const auto it = loaded_identities.find(path);
    return it == loaded_identities.end() || it->second != now;
}

// A private copy of a replaced plugin file under a name no loaded library has, removed again
// once the library is mapped (the mapping outlives the file).
class PrivateCopy {
  public:
    explicit PrivateCopy(const std::string &path) {
        const char *runtime = std::getenv("RUNTIME_DIRECTORY");
        std::string pattern = (runtime && *runtime ? std::filesystem::path(runtime)
                                                   : std::filesystem::temp_directory_path()) /
                              "venice-e2ee-proxy-plugin-XXXXXX";
        if (!mkdtemp(pattern.data())) throw std::runtime_error("cannot create a directory for a private plugin copy");
        dir_ = pattern;
        copy_ = (std::filesystem::path(dir_) / std::filesystem::path(path).filename()).string();
        std::error_code ec;
        std::filesystem::copy_file(path, copy_, ec);
        if (ec) {
            std::filesystem::remove_all(dir_, ec);
            throw std::runtime_error("cannot copy it for loading (" + ec.message() + ")");
        }
    }
    ~PrivateCopy() {
        std::error_code ec;
        std::filesystem::remove_all(dir_, ec);
    }
    PrivateCopy(const PrivateCopy &) = delete;
    PrivateCopy &operator=(const PrivateCopy &) = delete;
    const std::string &path() const { return copy_; }

  private:
    std::string dir_, copy_;
};

}  // namespace

const char *kind_name(vep_plugin_kind kind) {
    switch (kind) {
    case VEP_KIND_CIPHER: return "cipher";
    case VEP_KIND_ATTESTATION: return "attestation";
    case VEP_KIND_TOOL_FORMAT: return "tool_format";
    case VEP_KIND_FILTER: return "filter";
    }
    return "unknown";
}

PluginLoader::PluginLoader(const vep_host_api *host_api) : host_api_(host_api) {}

std::shared_ptr<const LoadedPlugin> PluginLoader::load_file(const std::string &path) const {
    auto fail = [&](const std::string &why) { return PluginLoadError("plugin " + path + ": " + why); };
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec)) throw fail("file not found");

    auto plugin = std::make_shared<LoadedPlugin>();
    plugin->path = path;
    // A plugin file replaced on disk while its old version is still mapped (open streams of the
    // previous generation) is loaded from a private copy, so a reload really gets the new code.
    const std::optional<FileIdentity> identity = identity_of(path);
    std::optional<PrivateCopy> copy;
    if (identity && replaced_while_loaded(path, *identity)) {
        try {
            copy.emplace(path);
        } catch (const std::exception &e) {
            throw fail(e.what());
        }
    }
    const std::string &load_path = copy ? copy->path() : path;
    // A first dlopen of our own keeps dlerror()'s text, which Boost.DLL's error code loses.
    void *probe = dlopen(load_path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!probe) {
        const char *detail = dlerror();
        throw fail(std::string("cannot be loaded as a shared library (") + (detail ? detail : "unknown error") + ")");
    }
    boost::system::error_code load_error;
    plugin->library.load(load_path, boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local, load_error);
    dlclose(probe);
    if (!copy && identity) {
        std::lock_guard<std::mutex> lock(loaded_mutex);
        loaded_identities[path] = *identity;
    }
    if (load_error) throw fail("cannot be loaded as a shared library (" + load_error.message() + ")");
    if (!plugin->library.has(VEP_ENTRY_SYMBOL))
        throw fail(std::string("not a venice-e2ee-proxy plugin: missing symbol ") + VEP_ENTRY_SYMBOL);

    auto entry = plugin->library.get<std::remove_pointer_t<vep_plugin_entry_fn>>(VEP_ENTRY_SYMBOL);
    char reason[512] = {0};
    const vep_plugin_descriptor *d = entry(host_api_, reason, sizeof reason);
    if (!d) throw fail(std::string("refused to load: ") + (reason[0] ? reason : "no reason given"));
    if (d->struct_size < offsetof(vep_plugin_descriptor, vtable) + sizeof(d->vtable))
        throw fail("descriptor is truncated (struct_size " + std::to_string(d->struct_size) + " < " +
                   std::to_string(offsetof(vep_plugin_descriptor, vtable) + sizeof(d->vtable)) + ")");
    if (d->abi_major != VEP_ABI_MAJOR)
        throw fail("built for plugin ABI " + std::to_string(d->abi_major) + "." + std::to_string(d->abi_minor) +
                   ", this host speaks ABI " + std::to_string(VEP_ABI_MAJOR) + "." + std::to_string(VEP_ABI_MINOR) +
                   " (major versions must match)");
    if (d->abi_minor > VEP_ABI_MINOR)
        throw fail("built for plugin ABI " + std::to_string(d->abi_major) + "." + std::to_string(d->abi_minor) +
                   ", newer than this host's " + std::to_string(VEP_ABI_MAJOR) + "." + std::to_string(VEP_ABI_MINOR));
    size_t required = 0;
    const std::string kind = vtable_size_for(d->kind, required);
    if (kind.empty()) throw fail("unknown plugin kind " + std::to_string(static_cast<int>(d->kind)));
    if (!d->vtable) throw fail(kind + " plugin has no vtable");
    const auto vtable_size = *static_cast<const uint32_t *>(d->vtable);
    if (vtable_size < required)
        throw fail(kind + " vtable is truncated (struct_size " + std::to_string(vtable_size) + " < " +
                   std::to_string(required) + ")");
    plugin->name = view_string(d->name);
    if (plugin->name.empty()) throw fail("descriptor has an empty name");
    plugin->version = view_string(d->version);
    plugin->description = view_string(d->description);
    plugin->kind = d->kind;
    plugin->abi_major = d->abi_major;
    plugin->abi_minor = d->abi_minor;
    plugin->descriptor = d;
    return plugin;
}

std::vector<std::string> PluginLoader::expand_directories(const std::vector<std::string> &directories,
                                                          const std::string &base_dir) {
    std::vector<std::string> out;
    const std::string origin = boost::dll::program_location().parent_path().string();
    for (const auto &dir : directories) {
        std::string d = dir;
        if (d.rfind("$ORIGIN", 0) == 0) d = origin + d.substr(7);
        std::filesystem::path p(d);
        if (p.is_relative() && !base_dir.empty()) p = std::filesystem::path(base_dir) / p;
        out.push_back(p.lexically_normal().string());
    }
    return out;
}

std::string PluginLoader::resolve(const std::string &entry, const std::vector<std::string> &directories,
                                  const std::string &base_dir) {
    if (std::filesystem::path(entry).is_absolute()) {
        if (std::filesystem::exists(entry)) return entry;
        throw PluginLoadError("plugin " + entry + ": file not found");
    }
    std::string tried;
    for (const auto &dir : expand_directories(directories, base_dir)) {
        const auto candidate = (std::filesystem::path(dir) / (entry + ".so")).string();
        if (std::filesystem::exists(candidate)) return candidate;
        tried += (tried.empty() ? "" : ", ") + candidate;
    }
    throw PluginLoadError("plugin " + entry + ": file not found (tried " + (tried.empty() ? "no directories" : tried) +
                          ")");
}

}  // namespace vep::host
