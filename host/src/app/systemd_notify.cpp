// See systemd_notify.hpp.
#include "app/systemd_notify.hpp"

#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <cstddef>
#include <cstdlib>
#include <cstring>

namespace vep::host {
namespace {

constexpr size_t kMaxStatusBytes = 512;

bool valid_address(const std::string &address) {
    if (address.size() < 2 || (address[0] != '/' && address[0] != '@')) return false;
    return address.size() < sizeof(sockaddr_un{}.sun_path);
}

// "STATUS=<text>" on one line, cut to a bounded length.
std::string status_line(std::string_view text) {
    std::string line = "STATUS=";
    for (char c : text.substr(0, kMaxStatusBytes)) line += (c == '\n' || c == '\r') ? ' ' : c;
    return line;
}

uint64_t monotonic_usec() {
    timespec ts{};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return static_cast<uint64_t>(ts.tv_sec) * 1000000u + static_cast<uint64_t>(ts.tv_nsec) / 1000u;
}

}  // namespace

SystemdNotifier SystemdNotifier::from_environment() {
    const char *socket = std::getenv("NOTIFY_SOCKET");
    return SystemdNotifier(socket ? socket : "");
}

SystemdNotifier::SystemdNotifier(std::string socket_address) {
    if (valid_address(socket_address)) address_ = std::move(socket_address);
}

bool SystemdNotifier::ready(std::string_view status) const { return send("READY=1\n" + status_line(status)); }

bool SystemdNotifier::reloading(std::string_view status) const {
    return send("RELOADING=1\nMONOTONIC_USEC=" + std::to_string(monotonic_usec()) + "\n" + status_line(status));
}

bool SystemdNotifier::stopping(std::string_view status) const { return send("STOPPING=1\n" + status_line(status)); }

bool SystemdNotifier::status(std::string_view status) const { return send(status_line(status)); }

bool SystemdNotifier::send(std::string_view message) const {
    if (!enabled()) return false;
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::memcpy(addr.sun_path, address_.data(), address_.size());
    if (address_[0] == '@') addr.sun_path[0] = '\0';
    // Abstract names are exactly as long as given; paths include their terminating NUL.
    const auto length = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + address_.size() +
                                               (address_[0] == '@' ? 0 : 1));
    const int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return false;
    const timeval timeout{1, 0};
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
    const ssize_t sent = sendto(fd, message.data(), message.size(), MSG_NOSIGNAL,
                                reinterpret_cast<const sockaddr *>(&addr), length);
    close(fd);
    return sent == static_cast<ssize_t>(message.size());
}

}  // namespace vep::host
