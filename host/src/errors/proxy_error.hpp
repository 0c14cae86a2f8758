// ProxyError: every failure the proxy reports to a client.
//
// Owns: the OpenAI-style error triple (HTTP status, `type`, `code`), the message, and optional
// `details`. Thrown by any host module; turned into a JSON body plus the
// X-Venice-Proxy-Error-Code header by http/error_response.cpp (or into an SSE error event once a
// stream has started). The catalog in error_catalog.cpp maps each code to its type and status, so
// call sites only name the code.
#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "vep/json.hpp"

namespace vep::host {

class ProxyError : public std::runtime_error {
  public:
    ProxyError(int status, std::string type, std::string code, const std::string &message)
        : std::runtime_error(message), status_(status), type_(std::move(type)), code_(std::move(code)) {}

    // An error whose type and status come from the catalog (unknown codes: 502 proxy_upstream_error).
    static ProxyError of(std::string_view code, const std::string &message);

    int status() const { return status_; }
    const std::string &type() const { return type_; }
    const std::string &code() const { return code_; }
    const std::optional<json::Value> &details() const { return details_; }
    ProxyError &with_details(json::Value details) {
        details_ = std::move(details);
        return *this;
    }

    // {"error":{"message","type","code"[,"details"]}}
    std::string to_json() const;

  private:
    int status_;
    std::string type_;
    std::string code_;
    std::optional<json::Value> details_;
};

// Type and status registered for `code`; false when the code is not in the catalog.
bool lookup_error_code(std::string_view code, int &status, std::string &type);

}  // namespace vep::host
