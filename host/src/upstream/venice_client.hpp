// VeniceClient: the proxy's HTTP(S) client towards the Venice API.
//
// Owns: base-URL joining, bearer auth, TLS context (system CA store or venice.ca_file, peer and
// host name verified, never a console prompt), connect/idle/total timeouts, and the mapping of
// transport and status failures onto ProxyError codes (bodies summarised, never relayed).
// One instance per configuration generation, shared by all request threads (it is stateless
// apart from immutable settings). A chat response is handed over after its head as an
// UpstreamAttempt, whose body the relay reads without blocking. Called by the pipeline (chat
// attempts), the attestation service and the models handler.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include <Poco/Net/Context.h>
#include <Poco/URI.h>

#include "config/config.hpp"
#include "upstream/upstream_attempt.hpp"

namespace Poco::Net {
class HTTPClientSession;
class HTTPResponse;
}  // namespace Poco::Net

namespace vep::host {

class VeniceClient {
  public:
    // Throws ProxyError venice_api_key_missing / venice_client_configuration_failed.
    explicit VeniceClient(const VeniceConfig &config);

    // GET {base}/models body (2xx only), bounded by the total timeout.
    std::string get_models() const;
    // GET {base}/tee/attestation?model=&nonce= body (2xx only).
    std::string get_attestation(const std::string &model, const std::string &nonce_hex) const;
    // POST {base}/chat/completions with the E2EE headers and read the response head; throws
    // ProxyError on connect failure or non-2xx. The body is read by the relay (UpstreamAttempt).
    UpstreamAttempt open_chat(const std::string &body, const std::string &client_public_hex,
                              const std::string &model_public_hex) const;
    // The same without the E2EE headers: Venice's TEE-only flow for a model the operator
    // configured tee-only (the caller checked the attestation and the configuration).
    UpstreamAttempt open_tee_only_chat(const std::string &body) const;

  private:
    UpstreamAttempt open(const std::string &body, const std::string *client_public_hex,
                         const std::string *model_public_hex) const;
    std::unique_ptr<Poco::Net::HTTPClientSession> connect() const;
    std::string fetch(const std::string &path_and_query) const;

    Poco::URI base_;
    std::string base_path_;
    std::string authorization_;
    std::chrono::milliseconds timeout_;
    Poco::Net::Context::Ptr tls_;
};

}  // namespace vep::host
