// Browser rules: what a web page may do with the proxy. A page must not be able to use a proxy
// that has no client keys just because it runs on the same machine (DNS rebinding, or a page
// posting to http://127.0.0.1): on a loopback listener without client keys, a request whose Host
// is not a loopback name, or that comes from a page (Origin) not listed in server.cors_origins, is
// refused with 403. A page listed there gets CORS: its origin is allowed on every answer and its
// preflight (OPTIONS) is answered. Used by the request guard and the router.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <Poco/Net/HTTPServerRequest.h>

#include "errors/proxy_error.hpp"
#include "net/http_header.hpp"

namespace vep::host {

struct BrowserVerdict {
    std::optional<ProxyError> refusal;  // set: answer this instead
    std::string allowed_origin;         // set: the answer carries CORS headers for it
};

// `loopback_listener`: the server listens on a loopback address only; `client_keys`: the
// generation requires client keys.
BrowserVerdict check_browser_request(const Poco::Net::HTTPServerRequest &request, bool loopback_listener,
                                     bool client_keys, const std::vector<std::string> &cors_origins);

// Whether a Host header value (port allowed) names this machine: localhost, 127.0.0.0/8, [::1].
bool is_loopback_host(std::string_view host);

}  // namespace vep::host
