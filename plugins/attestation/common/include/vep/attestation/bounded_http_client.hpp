// Bounded HTTP(S) GET and POST for the attestation plugins (collateral, RIMs, OCSP).
//
// Owns: one http:// or https:// origin (scheme, host, port), the TLS context for https (system CA
// store, peer and host name verification, TLS 1.2+), and the bounds of every request: a deadline
// covering connect, send and every read (`timeout`), a response body cap, no redirects, no
// keep-alive. Thread-safe: each request uses its own connection. Callers: tdx-dcap's PCCS client,
// nvidia-evidence's RIM service client and OCSP client.
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <Poco/Net/Context.h>

namespace vep::attestation {

// Any failure to obtain a complete response within the bounds (connection refused, TLS or
// certificate error, timeout, oversized body, malformed HTTP).
class HttpFetchError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

struct HttpResponse {
    int status = 0;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;

    // The first header named `name`, compared case-insensitively.
    std::optional<std::string> header(std::string_view name) const;
};

class BoundedHttpClient {
  public:
    // `scheme` is "http" or "https". Throws std::invalid_argument for another scheme or an empty
    // host, HttpFetchError when the TLS context cannot be set up.
    BoundedHttpClient(const std::string &scheme, const std::string &host, uint16_t port,
                      std::chrono::milliseconds timeout, size_t max_body_bytes);
    ~BoundedHttpClient();
    BoundedHttpClient(const BoundedHttpClient &) = delete;
    BoundedHttpClient &operator=(const BoundedHttpClient &) = delete;

    // GETs `path_and_query` (starting with '/'). Any status is returned; throws HttpFetchError
    // when no complete response arrives within the deadline and the body cap.
    HttpResponse get(const std::string &path_and_query) const;
    // POSTs `body` with `content_type` to `path_and_query`; same bounds and errors as get().
    HttpResponse post(const std::string &path_and_query, const std::string &content_type, const std::string &body) const;

  private:
    HttpResponse send(const std::string &method, const std::string &path_and_query, const std::string &content_type,
                      const std::string &body) const;
    std::string host_;
    uint16_t port_;
    std::chrono::milliseconds timeout_;
    size_t max_body_bytes_;
    Poco::Net::Context::Ptr tls_;  // null for http
};

}  // namespace vep::attestation
