// The plugin loader against real shared libraries: a good plugin, each way a plugin can be
// broken, and the `plugins check` / `plugins list` verbs of the real binary.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>

#include "plugin/host_services.hpp"
#include "plugin/plugin_loader.hpp"
#include "plugin/plugin_set.hpp"
#include "vep/client.hpp"
#include "vep/testing/fake_host.hpp"

using namespace vep::host;
using ::testing::HasSubstr;

namespace {

std::string fixture(const std::string &name) { return std::string(VEP_FIXTURE_DIR) + "/" + name + ".so"; }

std::string load_error(const std::string &path) {
    PluginLoader loader(host_services());
    try {
        loader.load_file(path);
    } catch (const PluginLoadError &e) {
        return e.what();
    }
    return "";
}

// Runs the proxy binary and returns its exit status and standard output.
std::pair<int, std::string> run_proxy(const std::string &args) {
    const std::string cmd = std::string(VEP_BIN_DIR) + "/venice-e2ee-proxy " + args + " 2>&1";
    std::unique_ptr<FILE, int (*)(FILE *)> pipe(popen(cmd.c_str(), "r"), pclose);
    std::string out;
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, pipe.get())) > 0) out.append(buf, n);
    const int status = pclose(pipe.release());
    return {WEXITSTATUS(status), out};
}

}  // namespace

TEST(PluginLoader, LoadsAGoodPluginAndReadsItsDescriptor) {
    PluginLoader loader(host_services());
    auto plugin = loader.load_file(fixture("fixture_good"));
    EXPECT_EQ(plugin->name, "fixture-good");
    EXPECT_EQ(plugin->version, "1.2.3");
    EXPECT_EQ(plugin->kind, VEP_KIND_FILTER);
    EXPECT_EQ(plugin->abi_major, VEP_ABI_MAJOR);

    auto filter = vep::client::FilterClient::create(plugin->descriptor, "{}", plugin);
    auto stream = filter->create_stream();
    vep::testing::FakeStreamCallbacks cb;
    EXPECT_EQ(stream->on_request(cb.get()), vep::FilterStatus::Continue);
    EXPECT_EQ(cb.response_headers["X-Fixture-Filter"], "seen");
}

TEST(PluginLoader, PluginRejectingItsConfigIsATypedError) {
    PluginLoader loader(host_services());
    auto plugin = loader.load_file(fixture("fixture_good"));
    try {
        vep::client::FilterClient::create(plugin->descriptor, R"({"reject":true})", plugin);
        FAIL() << "config was accepted";
    } catch (const vep::Failure &f) {
        EXPECT_EQ(f.code(), "invalid_config");
        EXPECT_THAT(f.what(), HasSubstr("fixture told to reject"));
    }
}

TEST(PluginLoader, RefusesWrongAbiMajor) {
    EXPECT_THAT(load_error(fixture("fixture_wrong_major")), HasSubstr("major versions must match"));
}

TEST(PluginLoader, RefusesTruncatedDescriptor) {
    EXPECT_THAT(load_error(fixture("fixture_short_struct")), HasSubstr("descriptor is truncated"));
}

TEST(PluginLoader, RefusesTruncatedVtable) {
    EXPECT_THAT(load_error(fixture("fixture_short_vtable")), HasSubstr("filter vtable is truncated"));
}

// A filter built for ABI 1.0 still loads and runs; its missing on_upstream_attempt is skipped
// (the fixture poisons that slot, so calling it would crash).
TEST(PluginLoader, LoadsAFilterBuiltForAbi10AndSkipsTheAttemptHook) {
    PluginLoader loader(host_services());
    const auto plugin = loader.load_file(fixture("fixture_abi_1_0"));
    EXPECT_EQ(plugin->abi_minor, 0u);
    const auto filter = vep::client::FilterClient::create(plugin->descriptor, "{}", plugin);
    auto stream = filter->create_stream();
    vep_stream_callbacks cb{};
    cb.struct_size = sizeof cb;
    EXPECT_EQ(stream->on_request(&cb), vep::FilterStatus::Continue);
    stream->on_upstream_attempt(0, &cb);
    stream->on_stream_complete(true);
}

TEST(PluginLoader, ReportsThePluginsOwnRefusal) {
    EXPECT_THAT(load_error(fixture("fixture_refuse")), HasSubstr("fixture refuses every host"));
}

TEST(PluginLoader, RefusesLibraryWithoutEntrySymbol) {
    EXPECT_THAT(load_error(fixture("fixture_no_entry")), HasSubstr("missing symbol vep_plugin_entry"));
}

TEST(PluginLoader, RefusesFileThatIsNotASharedLibrary) {
    const std::string error = load_error(fixture("not_a_plugin"));
    EXPECT_THAT(error, HasSubstr("cannot be loaded as a shared library"));
    EXPECT_THAT(error, HasSubstr("not_a_plugin.so"));
}

TEST(PluginLoader, MissingFileNamesEveryPathTried) {
    EXPECT_THAT(load_error(fixture("does_not_exist")), HasSubstr("file not found"));
    try {
        PluginLoader::resolve("nope", {"/nonexistent/a", "rel"}, "/base");
        FAIL();
    } catch (const PluginLoadError &e) {
        EXPECT_THAT(e.what(), HasSubstr("/nonexistent/a/nope.so"));
        EXPECT_THAT(e.what(), HasSubstr("/base/rel/nope.so"));
    }
}

TEST(PluginLoader, DuplicateNamesOfOneKindAreRefused) {
    PluginLoader loader(host_services());
    PluginSet set;
    set.add(loader.load_file(fixture("fixture_good")));
    try {
        set.add(loader.load_file(fixture("fixture_good")));
        FAIL();
    } catch (const PluginLoadError &e) {
        EXPECT_THAT(e.what(), HasSubstr("already loaded"));
    }
}

TEST(PluginLoader, PluginsCheckVerbReportsAndSetsExitStatus) {
    auto good = run_proxy("plugins check " + fixture("fixture_good"));
    EXPECT_EQ(good.first, 0) << good.second;
    EXPECT_THAT(good.second, HasSubstr("fixture-good  kind=filter  version=1.2.3"));
    auto bad = run_proxy("plugins check " + fixture("fixture_wrong_major"));
    EXPECT_EQ(bad.first, 1);
    EXPECT_THAT(bad.second, HasSubstr("FAILED"));
    EXPECT_THAT(bad.second, HasSubstr("major versions must match"));
}

TEST(PluginLoader, PluginsListShowsWhatLoadsAndWhyNot) {
    const std::string config = std::string(VEP_BINARY_DIR) + "/plugins_list_test.toml";
    {
        std::unique_ptr<FILE, int (*)(FILE *)> f(fopen(config.c_str(), "w"), fclose);
        fprintf(f.get(), "[plugins]\ndirectories = [\"%s\"]\nload = []\n", VEP_FIXTURE_DIR);
    }
    auto listed = run_proxy("plugins list --config " + config);
    EXPECT_EQ(listed.first, 1) << listed.second;
    EXPECT_THAT(listed.second, HasSubstr("ok      fixture-good"));
    EXPECT_THAT(listed.second, HasSubstr("missing symbol vep_plugin_entry"));
    EXPECT_THAT(listed.second, HasSubstr("not_a_plugin.so: cannot be loaded"));
}

// Dropping a new build over a plugin file while the old one is still in use (a reload with open
// streams) must load the new code: dlopen alone would return the old mapping for the same path.
TEST(PluginLoader, FileReplacedWhileLoadedGetsTheNewCode) {
    namespace fs = std::filesystem;
    const fs::path dir = fs::temp_directory_path() / ("vep-loader-swap-" + std::to_string(getpid()));
    fs::create_directories(dir);
    const std::string slot = (dir / "tools-custom.so").string();
    const std::string plugins = VEP_PLUGIN_DIR;
    PluginLoader loader(host_services());

    fs::copy_file(plugins + "/tools-hermes.so", slot);
    const auto first = loader.load_file(slot);
    EXPECT_EQ(first->name, "hermes");

    fs::remove(slot);  // as `install` and package managers do: a new inode at the same path
    fs::copy_file(plugins + "/tools-qwen-xml.so", slot);
    const auto second = loader.load_file(slot);
    EXPECT_EQ(second->name, "qwen-xml");
    EXPECT_EQ(second->path, slot);
    EXPECT_EQ(first->name, "hermes");  // the old one is still mapped and usable
    EXPECT_NE(first->descriptor, second->descriptor);
    EXPECT_EQ(std::string(first->descriptor->name.data, first->descriptor->name.len), "hermes");

    // Unchanged file, old versions still loaded: the same (new) code again.
    EXPECT_EQ(loader.load_file(slot)->name, "qwen-xml");
    fs::remove_all(dir);
}
