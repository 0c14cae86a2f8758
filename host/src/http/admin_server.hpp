// AdminServer: the admin listener ([admin] host:port), off the client port — GET/HEAD /metrics
// (the Prometheus exposition), GET/HEAD /healthz (the same answer as the client port's) and
// POST /admin/reload (the same reload as SIGHUP; 200 when it took effect, 500
// config_reload_failed with the reason when refused). With an admin token every request needs
// `Authorization: Bearer <token>` (401 otherwise); without one the listener must be on a
// loopback address (check_exposure) and refuses browser requests (Origin, or a Host that
// is not a loopback name: DNS rebinding). A small Poco HTTPServer with its own two threads, so a
// saturated client port never blocks a scrape. Owned by the application; the ProxyServer whose
// services it reads outlives it.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include <Poco/Net/HTTPServer.h>
#include <Poco/ThreadPool.h>

#include "config/config.hpp"
#include "http/request_router.hpp"

namespace vep::host {

// Runs a reload; nullopt when it took effect, else why it was refused.
using ReloadAction = std::function<std::optional<std::string>()>;

class AdminServer {
  public:
    // Binds admin.host:admin.port (port 0 = any free port); throws Poco::Exception on failure.
    // `token` empty: no token.
    AdminServer(const AdminConfig &config, std::string token, const RouteServices &services, ReloadAction reload);
    ~AdminServer();

    void start();
    void stop();
    uint16_t port() const { return port_; }

  private:
    std::unique_ptr<Poco::ThreadPool> pool_;
    std::unique_ptr<Poco::Net::HTTPServer> server_;
    uint16_t port_ = 0;
    bool stopped_ = false;
};

// The admin token in `path` (its first line, surrounding whitespace removed); throws
// std::runtime_error when the file cannot be read or the token is shorter than 32 characters.
std::string read_admin_token(const std::string &path);

}  // namespace vep::host
