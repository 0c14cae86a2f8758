// See exposure_policy.hpp.
#include "http/exposure_policy.hpp"

#include <stdexcept>

#include "http/browser_guard.hpp"

namespace vep::host {

void check_exposure(const Config &config) {
    if (is_loopback_host(config.server.host) || !config.auth.keys_file.empty() || !config.server.tls_client_ca.empty() ||
        config.server.allow_unauthenticated)
        return;
    const auto set_at = config.sources.find("server.host");
    const std::string where = set_at != config.sources.end() ? set_at->second.text
                              : config.path.empty()          ? std::string("server.host")
                                                             : config.path;
    throw std::runtime_error(
        where + ": server.host = \"" + config.server.host +
        "\" is not a loopback address and no client authentication is configured, so anyone who can reach the port "
        "would spend the Venice API key. Set [auth] keys_file (make keys with `venice-e2ee-proxy keys add "
        "--keys-file FILE`) or TLS client certificates (server.tls_client_ca), or listen on server.host = \"127.0.0.1\", or set server.allow_unauthenticated = true "
        "to serve without keys on purpose");
}

}  // namespace vep::host
