// SystemdNotifier against a real AF_UNIX datagram socket standing in for systemd's notify socket:
// path and abstract addresses, the message of each state, status sanitising, and the disabled
// cases (no $NOTIFY_SOCKET, unusable addresses, nobody listening).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <optional>
#include <random>
#include <string>

#include "app/systemd_notify.hpp"

using vep::host::SystemdNotifier;
using ::testing::HasSubstr;
using ::testing::StartsWith;

namespace {

std::string unique_suffix() {
    std::random_device rd;
    return std::to_string(getpid()) + "-" + std::to_string(rd());
}

// A bound SOCK_DGRAM socket: the receiving end systemd would own.
class NotifySocket {
  public:
    // "/path" binds a file system socket, "@name" an abstract one.
    explicit NotifySocket(std::string address) : address_(std::move(address)) {
        fd_ = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        if (fd_ < 0) throw std::runtime_error("socket failed");
        sockaddr_un addr{};
        addr.sun_family = AF_UNIX;
        std::memcpy(addr.sun_path, address_.data(), address_.size());
        socklen_t length = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + address_.size());
        if (address_[0] == '@') addr.sun_path[0] = '\0';
        else length += 1;
        if (bind(fd_, reinterpret_cast<const sockaddr *>(&addr), length) != 0)
            throw std::runtime_error(std::string("bind failed: ") + std::strerror(errno));
    }
    ~NotifySocket() {
        close(fd_);
        if (address_[0] == '/') std::filesystem::remove(address_);
    }
    NotifySocket(const NotifySocket &) = delete;
    NotifySocket &operator=(const NotifySocket &) = delete;

    // The next datagram, or nothing within 2 s.
    std::optional<std::string> receive() const {
        pollfd p{fd_, POLLIN, 0};
        if (poll(&p, 1, 2000) != 1) return std::nullopt;
        char buf[4096];
        const ssize_t n = recv(fd_, buf, sizeof buf, 0);
        if (n < 0) return std::nullopt;
        return std::string(buf, static_cast<size_t>(n));
    }
    const std::string &address() const { return address_; }

  private:
    std::string address_;
    int fd_ = -1;
};

std::string temp_socket_path() {
    return (std::filesystem::temp_directory_path() / ("vep-notify-" + unique_suffix() + ".sock")).string();
}

uint64_t monotonic_usec_now() {
    timespec ts{};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return static_cast<uint64_t>(ts.tv_sec) * 1000000u + static_cast<uint64_t>(ts.tv_nsec) / 1000u;
}

}  // namespace

TEST(SystemdNotifier, SendsReadyWithStatusToAPathSocket) {
    NotifySocket systemd(temp_socket_path());
    const SystemdNotifier notifier(systemd.address());
    ASSERT_TRUE(notifier.enabled());
    EXPECT_TRUE(notifier.ready("listening on 127.0.0.1:8080"));
    EXPECT_EQ(systemd.receive(), "READY=1\nSTATUS=listening on 127.0.0.1:8080");
}

TEST(SystemdNotifier, SendsToAnAbstractSocketNamedWithAt) {
    NotifySocket systemd("@vep-notify-test-" + unique_suffix());
    const SystemdNotifier notifier(systemd.address());
    EXPECT_TRUE(notifier.stopping("draining requests"));
    EXPECT_EQ(systemd.receive(), "STOPPING=1\nSTATUS=draining requests");
}

TEST(SystemdNotifier, ReloadingCarriesTheMonotonicClock) {
    NotifySocket systemd(temp_socket_path());
    const SystemdNotifier notifier(systemd.address());
    const uint64_t before = monotonic_usec_now();
    ASSERT_TRUE(notifier.reloading("reloading /etc/x.toml"));
    const uint64_t after = monotonic_usec_now();
    const auto message = systemd.receive();
    ASSERT_TRUE(message);
    EXPECT_THAT(*message, StartsWith("RELOADING=1\nMONOTONIC_USEC="));
    EXPECT_THAT(*message, HasSubstr("\nSTATUS=reloading /etc/x.toml"));
    const auto value_at = message->find("MONOTONIC_USEC=") + std::strlen("MONOTONIC_USEC=");
    const uint64_t stamp = std::stoull(message->substr(value_at, message->find('\n', value_at) - value_at));
    EXPECT_GE(stamp, before);
    EXPECT_LE(stamp, after);
}

TEST(SystemdNotifier, StatusIsOneBoundedLine) {
    NotifySocket systemd(temp_socket_path());
    const SystemdNotifier notifier(systemd.address());
    ASSERT_TRUE(notifier.status("two\nlines\rREADY=1"));
    EXPECT_EQ(systemd.receive(), "STATUS=two lines READY=1");
    ASSERT_TRUE(notifier.status(std::string(10000, 'x')));
    const auto long_status = systemd.receive();
    ASSERT_TRUE(long_status);
    EXPECT_EQ(long_status->size(), std::strlen("STATUS=") + 512);
}

TEST(SystemdNotifier, ReadsNotifySocketFromTheEnvironment) {
    NotifySocket systemd(temp_socket_path());
    setenv("NOTIFY_SOCKET", systemd.address().c_str(), 1);
    const SystemdNotifier notifier = SystemdNotifier::from_environment();
    unsetenv("NOTIFY_SOCKET");
    ASSERT_TRUE(notifier.enabled());
    EXPECT_TRUE(notifier.ready("up"));
    EXPECT_EQ(systemd.receive(), "READY=1\nSTATUS=up");
}

TEST(SystemdNotifier, DisabledWithoutAUsableAddress) {
    unsetenv("NOTIFY_SOCKET");
    EXPECT_FALSE(SystemdNotifier::from_environment().enabled());
    EXPECT_FALSE(SystemdNotifier::from_environment().ready("x"));
    EXPECT_FALSE(SystemdNotifier("").enabled());
    EXPECT_FALSE(SystemdNotifier("relative/path.sock").enabled());
    EXPECT_FALSE(SystemdNotifier("@").enabled());
    EXPECT_FALSE(SystemdNotifier("/" + std::string(200, 'a')).enabled());
    EXPECT_FALSE(SystemdNotifier("vsock:2:1234").ready("x"));
}

TEST(SystemdNotifier, ReportsFailureWhenNobodyListens) {
    const SystemdNotifier notifier(temp_socket_path());
    ASSERT_TRUE(notifier.enabled());
    EXPECT_FALSE(notifier.ready("x"));
}
