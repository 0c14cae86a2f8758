// The proxy as systemd runs it with Type=notify: with $NOTIFY_SOCKET set it reports READY=1 once
// it listens, RELOADING=1 then READY=1 around a SIGHUP reload (also a refused one), and STOPPING=1
// when SIGTERM starts the drain. The test plays systemd's side of the AF_UNIX datagram socket.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>

#include "child_process.hpp"

using namespace vep::test;
using ::testing::HasSubstr;
using ::testing::StartsWith;
using namespace std::chrono_literals;

namespace {

const std::string kProxy = std::string(VEP_BIN_DIR) + "/venice-e2ee-proxy";
const std::string kDemoConfig = std::string(VEP_SOURCE_DIR) + "/config/demo-sim.toml";

// systemd's end of the notify protocol: a bound datagram socket at a temporary path.
class NotifySocket {
  public:
    NotifySocket()
        : path_((std::filesystem::temp_directory_path() / ("vep-notify-" + std::to_string(getpid()) + ".sock")).string()) {
        std::filesystem::remove(path_);
        fd_ = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        sockaddr_un addr{};
        addr.sun_family = AF_UNIX;
        std::strncpy(addr.sun_path, path_.c_str(), sizeof addr.sun_path - 1);
        if (fd_ < 0 || bind(fd_, reinterpret_cast<const sockaddr *>(&addr), sizeof addr) != 0)
            throw std::runtime_error("cannot bind " + path_);
    }
    ~NotifySocket() {
        close(fd_);
        std::filesystem::remove(path_);
    }
    NotifySocket(const NotifySocket &) = delete;
    NotifySocket &operator=(const NotifySocket &) = delete;

    const std::string &path() const { return path_; }
    // The next message, or nothing within `timeout`.
    std::optional<std::string> receive(std::chrono::milliseconds timeout) const {
        pollfd p{fd_, POLLIN, 0};
        if (poll(&p, 1, static_cast<int>(timeout.count())) != 1) return std::nullopt;
        char buf[4096];
        const ssize_t n = recv(fd_, buf, sizeof buf, 0);
        if (n < 0) return std::nullopt;
        return std::string(buf, static_cast<size_t>(n));
    }

  private:
    std::string path_;
    int fd_ = -1;
};

}  // namespace

TEST(ProxyUnderSystemd, ReportsReadyReloadingAndStopping) {
    const auto dir = std::filesystem::temp_directory_path() / ("vep-notify-cfg-" + std::to_string(getpid()));
    std::filesystem::create_directories(dir);
    const auto config = (dir / "proxy.toml").string();
    std::filesystem::copy_file(kDemoConfig, config, std::filesystem::copy_options::overwrite_existing);

    NotifySocket systemd;
    ChildProcess proxy(kProxy, {config},
                       {{"VENICE_E2EE_PROXY__VENICE__API_KEY", "sim-key"},
                        {"VENICE_E2EE_PROXY__VENICE__BASE_URL", "http://127.0.0.1:9/api/v1"},
                        {"VENICE_E2EE_PROXY__SERVER__PORT", "0"},
                        {"NOTIFY_SOCKET", systemd.path()}});
    const auto listening = proxy.wait_for_line("listening on", 30s);
    ASSERT_TRUE(listening) << proxy.output();
    const auto ready = systemd.receive(10s);
    ASSERT_TRUE(ready) << proxy.output();
    EXPECT_THAT(*ready, StartsWith("READY=1\nSTATUS=listening on 127.0.0.1:"));

    proxy.signal(SIGHUP);
    const auto reloading = systemd.receive(10s);
    ASSERT_TRUE(reloading);
    EXPECT_THAT(*reloading, StartsWith("RELOADING=1\nMONOTONIC_USEC="));
    const auto reloaded = systemd.receive(15s);
    ASSERT_TRUE(reloaded);
    EXPECT_EQ(*reloaded, "READY=1\nSTATUS=configuration reloaded from " + config);

    std::ofstream(config, std::ios::trunc) << "[server]\nno_such_key = 1\n";
    proxy.signal(SIGHUP);
    ASSERT_TRUE(systemd.receive(10s));  // RELOADING=1
    const auto refused = systemd.receive(15s);
    ASSERT_TRUE(refused);
    EXPECT_EQ(*refused, "READY=1\nSTATUS=reload refused, the running configuration keeps serving");

    proxy.signal(SIGTERM);
    const auto stopping = systemd.receive(10s);
    ASSERT_TRUE(stopping);
    EXPECT_EQ(*stopping, "STOPPING=1\nSTATUS=draining requests");
    EXPECT_EQ(proxy.wait_exit(15s).value_or(-1), 0) << proxy.output();
    std::filesystem::remove_all(dir);
}
