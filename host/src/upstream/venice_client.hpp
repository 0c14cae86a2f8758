// VeniceClient: the proxy's HTTP(S) client towards the Venice API.
//
// Owns: base-URL joining, bearer auth, connection set-up (timed: connect, TLS handshake), TLS
// context (system CA store or venice.ca_file, peer and host name verified, never a console
// prompt, sessions resumed), connect/idle/total timeouts, the pool of keep-alive connections
// (UpstreamPool: a request takes a pooled connection or opens one; a fetch gives its connection
// back when the response was read to its end), and the mapping of transport and status failures
// onto ProxyError codes (bodies summarised, never relayed). Requests and response heads are
// written and read on the socket itself (upstream/upstream_http.hpp), bodies framed by
// HttpBodyDecoder. A request sent on a pooled connection that the upstream had closed is sent
// again on a new one only when sending failed, so nothing of it can have reached Venice.
// One instance per configuration generation, shared by all request threads (immutable settings,
// the thread-safe pool). A chat response is handed over after its head as an UpstreamAttempt,
// whose body the relay reads without blocking and whose connection it gives back. Called by the
// pipeline (chat attempts), the attestation service and the models handler.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include <Poco/Net/Context.h>
#include <Poco/URI.h>

#include "config/config.hpp"
#include "stats/proxy_stats.hpp"
#include "upstream/upstream_attempt.hpp"
#include "upstream/upstream_pool.hpp"

namespace vep::host {

class VeniceClient {
  public:
    // Throws ProxyError venice_api_key_missing / venice_client_configuration_failed. `counters`
    // (may be null) receive every connection's TCP connect and TLS handshake time and the pool's
    // traffic; they must outlive the pool (the process-wide ProxyStats::upstream).
    explicit VeniceClient(const VeniceConfig &config, UpstreamCounters *counters = nullptr);

    // GET {base}/models body (2xx only), bounded by the total timeout.
    std::string get_models() const;
    // GET {base}/tee/attestation?model=&nonce= body (2xx only).
    std::string get_attestation(const std::string &model, const std::string &nonce_hex) const;
    // GET {base}/tee/signature?model=&request_id= body (2xx only): the signed response record of
    // one chat completion (`request_id` = the completion's upstream id).
    std::string get_signature(const std::string &model, const std::string &request_id) const;
    // POST {base}/chat/completions with the E2EE headers and read the response head; throws
    // ProxyError on connect failure or non-2xx. The body is read by the relay (UpstreamAttempt).
    UpstreamAttempt open_chat(const std::string &body, const std::string &client_public_hex,
                              const std::string &model_public_hex) const;
    // The same without the E2EE headers: Venice's TEE-only flow for a model the operator
    // configured tee-only (the caller checked the attestation and the configuration).
    UpstreamAttempt open_tee_only_chat(const std::string &body) const;

    UpstreamPool &pool() const { return *pool_; }

  private:
    UpstreamAttempt open(const std::string &body, const std::string *client_public_hex,
                         const std::string *model_public_hex) const;
    struct Connection;
    struct NotSent;
    Connection connect(bool pooled_allowed) const;
    Poco::Net::StreamSocket open_connection() const;
    void send(Connection &c, const std::string &message) const;
    void give_back(Connection &c) const;
    // Runs `exchange` on a pooled connection or, when there is none or sending on it failed, on a
    // new one.
    template <typename Exchange>
    auto on_connection(Exchange &&exchange) const;
    std::string fetch(const std::string &path_and_query) const;

    Poco::URI base_;
    std::string base_path_;
    std::string host_;  // the Host header value
    std::string authorization_;
    std::chrono::milliseconds timeout_;
    Poco::Net::Context::Ptr tls_;
    std::shared_ptr<UpstreamPool> pool_;
};

}  // namespace vep::host
