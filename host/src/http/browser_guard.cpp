// See browser_guard.hpp.
#include "http/browser_guard.hpp"

#include <algorithm>

#include <Poco/Net/IPAddress.h>

namespace vep::host {

bool is_loopback_host(std::string_view host) {
    if (host.starts_with("[")) {
        const auto close = host.find(']');
        return close != std::string_view::npos && host.substr(1, close - 1) == "::1";
    }
    if (const auto colon = host.rfind(':'); colon != std::string_view::npos) host = host.substr(0, colon);
    if (host == "localhost" || host.ends_with(".localhost")) return true;
    Poco::Net::IPAddress address;
    return Poco::Net::IPAddress::tryParse(std::string(host), address) && address.isLoopback();
}

BrowserVerdict check_browser_request(const Poco::Net::HTTPServerRequest &request, bool loopback_listener,
                                     bool client_keys, const std::vector<std::string> &cors_origins) {
    BrowserVerdict verdict;
    const bool guarded = loopback_listener && !client_keys;
    if (request.has("Origin")) {
        const std::string &origin = request.get("Origin");
        if (std::find(cors_origins.begin(), cors_origins.end(), origin) != cors_origins.end()) {
            verdict.allowed_origin = origin;
        } else if (guarded) {
            verdict.refusal = ProxyError::of("origin_not_allowed", "requests from web page " + origin +
                                                                       " are not allowed (server.cors_origins)");
            return verdict;
        }
    }
    if (guarded && request.has("Host") && !is_loopback_host(request.getHost()))
        verdict.refusal = ProxyError::of("host_not_allowed",
                                         "this proxy answers only requests addressed to localhost (Host: " +
                                             request.getHost() + ")");
    return verdict;
}

}  // namespace vep::host
