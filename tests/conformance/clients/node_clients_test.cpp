// Client conformance: runs the Node.js suites of this directory (`node --test *.test.mjs`), in
// which the real `openai` npm client and the Vercel AI SDK talk to the built venice-e2ee-proxy in
// front of venice-sim on 127.0.0.1. The JS harness starts and stops both binaries; this test hands
// it their paths and asserts that node exits 0, printing node's report otherwise.
#include <gtest/gtest.h>

#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

namespace {

namespace fs = std::filesystem;

const fs::path kClientsDir = fs::path(VEP_SOURCE_DIR) / "tests/conformance/clients";
// Bounds the whole node run below ctest's 300 s per-test timeout.
constexpr const char *kNodeTimeout = "timeout --kill-after=10s 270s";
constexpr size_t kMaxReportBytes = 1 << 20;

std::string shell_quoted(const std::string &text) {
    std::string out = "'";
    for (const char c : text) {
        if (c == '\'') out += "'\\''";
        else out += c;
    }
    return out + "'";
}

// Exit status and combined output (the last kMaxReportBytes) of a shell command.
struct CommandResult {
    int status = -1;
    std::string output;
};

CommandResult run_command(const std::string &command) {
    CommandResult result;
    std::unique_ptr<FILE, int (*)(FILE *)> pipe(popen(command.c_str(), "r"), pclose);
    if (!pipe) return result;
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, pipe.get())) > 0) {
        result.output.append(buf, n);
        if (result.output.size() > kMaxReportBytes) result.output.erase(0, result.output.size() - kMaxReportBytes);
    }
    const int status = pclose(pipe.release());
    result.status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
    return result;
}

}  // namespace

TEST(NodeClients, OpenAiAndVercelAiSdkAgainstProxyAndSim) {
    if (!fs::is_directory(kClientsDir / "node_modules")) {
        if (std::getenv("VEP_REQUIRE_NODE_TESTS") != nullptr)
            FAIL() << "VEP_REQUIRE_NODE_TESTS is set but " << kClientsDir / "node_modules"
                   << " is missing; run `npm ci` in " << kClientsDir;
        GTEST_SKIP() << "node_modules missing in " << kClientsDir << " (run `npm ci` there, as scripts/test.sh does)";
    }

    const std::string bin_dir = VEP_BIN_DIR;
    ASSERT_TRUE(fs::exists(bin_dir + "/venice-e2ee-proxy")) << bin_dir;
    ASSERT_TRUE(fs::exists(bin_dir + "/venice-sim")) << bin_dir;
    ASSERT_EQ(setenv("VEP_PROXY_BIN", (bin_dir + "/venice-e2ee-proxy").c_str(), 1), 0);
    ASSERT_EQ(setenv("VEP_SIM_BIN", (bin_dir + "/venice-sim").c_str(), 1), 0);
    ASSERT_EQ(setenv("VEP_PROXY_CONFIG", (fs::path(VEP_SOURCE_DIR) / "config/demo-sim.toml").c_str(), 1), 0);
    ASSERT_EQ(setenv("VEP_PLUGIN_DIR", VEP_PLUGIN_DIR, 1), 0);
    // The proxy's TLS test certificate is issued by this CA (harness.mjs, startStack({tls: true})).
    ASSERT_EQ(setenv("NODE_EXTRA_CA_CERTS", (fs::path(VEP_SOURCE_DIR) / "tests/data/tls/ca.pem").c_str(), 1), 0);

    const std::string command = "cd " + shell_quoted(kClientsDir.string()) + " && " + kNodeTimeout +
                                " node --test --test-reporter=spec *.test.mjs 2>&1";
    const CommandResult result = run_command(command);
    EXPECT_EQ(result.status, 0) << "node --test failed (exit status " << result.status << "):\n" << result.output;
}
