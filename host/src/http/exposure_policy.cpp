// See exposure_policy.hpp.
#include "http/exposure_policy.hpp"

#include <stdexcept>

#include "http/browser_guard.hpp"

namespace vep::host {

namespace {

// Where `key` was set, for the error message.
std::string where_set(const Config &config, const std::string &key) {
    const auto set_at = config.sources.find(key);
    return set_at != config.sources.end() ? set_at->second.text : config.path.empty() ? key : config.path;
}

void check_admin_exposure(const Config &config) {
    if (!config.admin.enabled || is_loopback_host(config.admin.host) || !config.admin.token_file.empty()) return;
    throw std::runtime_error(where_set(config, "admin.host") + ": admin.host = \"" + config.admin.host +
                             "\" is not a loopback address and admin.token_file is not set, so anyone who can reach "
                             "the admin port could read the metrics and reload the proxy. Set admin.token_file, or "
                             "listen on admin.host = \"127.0.0.1\"");
}

}  // namespace

void check_exposure(const Config &config) {
    check_admin_exposure(config);
    if (is_loopback_host(config.server.host) || !config.auth.keys_file.empty() || !config.server.tls_client_ca.empty() ||
        config.server.allow_unauthenticated)
        return;
    throw std::runtime_error(
        where_set(config, "server.host") + ": server.host = \"" + config.server.host +
        "\" is not a loopback address and no client authentication is configured, so anyone who can reach the port "
        "would spend the Venice API key. Set [auth] keys_file (make keys with `venice-e2ee-proxy keys add "
        "--keys-file FILE`) or TLS client certificates (server.tls_client_ca), or listen on server.host = \"127.0.0.1\", or set server.allow_unauthenticated = true "
        "to serve without keys on purpose");
}

}  // namespace vep::host
