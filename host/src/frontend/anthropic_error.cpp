// See anthropic_error.hpp.
#include "frontend/anthropic_error.hpp"

namespace vep::host {

std::string anthropic_error_type(const ProxyError &error) {
    switch (error.status()) {
    case 401: return "authentication_error";
    case 403: return "permission_error";
    case 404: return "not_found_error";
    case 413: return "request_too_large";
    case 429: return "rate_limit_error";
    case 503: return "overloaded_error";
    default: return error.status() < 500 ? "invalid_request_error" : "api_error";
    }
}

json::Value anthropic_error(const ProxyError &error) {
    json::Value inner = json::Value::object();
    inner.set("type", anthropic_error_type(error));
    inner.set("message", std::string(error.what()));
    json::Value outer = json::Value::object();
    outer.set("type", "error");
    outer.set("error", std::move(inner));
    return outer;
}

std::string anthropic_error_body(const ProxyError &error) { return json::dump(anthropic_error(error)); }

}  // namespace vep::host
