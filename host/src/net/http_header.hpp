// HTTP header helpers. header_name_equals(): header names compared as HTTP compares them (ASCII
// case-insensitive), for the response header lists of chain/exchange.cpp and net/response_head.
// is_safe_header_value(): whether a value can travel in an HTTP header line —
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

inline bool header_name_equals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i) {
        const auto x = static_cast<unsigned char>(a[i]);
        const auto y = static_cast<unsigned char>(b[i]);
        if (x != y && ((x | 0x20) != (y | 0x20) || (x | 0x20) < 'a' || (x | 0x20) > 'z')) return false;
    }
    return true;
}

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
