// SystemdNotifier: tells the service manager about the process state with the sd_notify(3)
// protocol — one AF_UNIX datagram of "KEY=value" lines to the socket named by $NOTIFY_SOCKET (a
// file system path, or an abstract name written with a leading '@'). No libsystemd. Without
// $NOTIFY_SOCKET (not run by systemd as Type=notify) every call is a no-op that returns false.
// Owned by ProxyApp::main, which reports READY=1 once listening, RELOADING=1 / READY=1 around a
// SIGHUP reload and STOPPING=1 when it starts draining.
#pragma once

#include <string>
#include <string_view>

namespace vep::host {

class SystemdNotifier {
  public:
    // A notifier for the socket named by $NOTIFY_SOCKET (disabled when unset or empty).
    static SystemdNotifier from_environment();

    // `socket_address`: "/path", "@abstract-name", or "" for a disabled notifier. Any other form
    // (relative path, longer than sockaddr_un allows) also gives a disabled notifier.
    explicit SystemdNotifier(std::string socket_address);

    bool enabled() const { return !address_.empty(); }

    // READY=1 with STATUS=<status>: start-up (or a reload) finished.
    bool ready(std::string_view status) const;
    // RELOADING=1, MONOTONIC_USEC=<CLOCK_MONOTONIC now> and STATUS=<status>: a reload began.
    bool reloading(std::string_view status) const;
    // STOPPING=1 with STATUS=<status>: shutdown began.
    bool stopping(std::string_view status) const;
    // STATUS=<status> alone.
    bool status(std::string_view status) const;

    // Sends `message` (newline-separated assignments) as one datagram; false when disabled or
    // when it could not be sent within one second. Never throws.
    bool send(std::string_view message) const;

  private:
    std::string address_;
};

}  // namespace vep::host
