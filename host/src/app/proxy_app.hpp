// ProxyApp: the server process (Poco ServerApplication, so --daemon/--pidfile/--umask work).
// Loads the configuration (the file named on the command line, or without one the defaults plus
// the VENICE_E2EE_PROXY__* environment), builds the first generation (plugins, cipher, chain, ...), starts the
// ProxyServer, then waits for signals: SIGHUP reloads (a new generation is validated and swapped
// in; on any error the running one keeps serving), SIGTERM/SIGINT/SIGQUIT drain and stop.
// Created by run_cli() for `venice-e2ee-proxy [config.toml]`.
#pragma once

#include <string>
#include <vector>

#include <Poco/Util/ServerApplication.h>

namespace vep::host {

class ProxyApp final : public Poco::Util::ServerApplication {
  protected:
    int main(const std::vector<std::string> &args) override;
};

// Blocks the signals ProxyApp waits for; must run before any thread starts.
void block_server_signals();

}  // namespace vep::host
