// HTTP header helpers. is_safe_header_value(): whether a value can travel in an HTTP header line —
// no CR, LF, NUL or other control byte but tab — so nothing a request carries can split a
// response; used wherever a response header is set from data (chain/exchange.cpp) and by the
// header fuzzer. cors_headers(): the CORS headers of an answer to an allowed web page, written by
// the request guard and by the relay's client output.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace vep::host {

inline bool is_safe_header_value(std::string_view value) {
    for (const char c : value) {
        const auto u = static_cast<unsigned char>(c);
        if ((u < 0x20 && u != '\t') || u == 0x7f) return false;
    }
    return true;
}

// The CORS headers of an answer to `origin`: allowed, varying by Origin, and the proxy's headers
// a page may read.
inline std::vector<std::pair<std::string, std::string>> cors_headers(const std::string &origin) {
    return {{"Access-Control-Allow-Origin", origin},
            {"Vary", "Origin"},
            {"Access-Control-Expose-Headers",
             "X-Request-Id, X-Venice-Proxy-Error-Code, X-Venice-Proxy-E2EE, X-Venice-Proxy-Attested-Model, "
             "X-Venice-Proxy-TEE-Provider, X-Venice-Proxy-Session-Id, X-Venice-Proxy-Session-Scope, Retry-After"}};
}

}  // namespace vep::host
