// A fake Intel PCCS for the tdx-dcap tests: a Poco HTTP server on 127.0.0.1 (ephemeral port).
//
// Owns: a table of canned responses keyed by request target (path + query), per-target hit
// counters, optional per-response delays and chunked bodies, and serve_collateral(), which splits
// a dcap-qvl QuoteCollateralV3 JSON into the four PCS v4 responses. Unknown targets get 404.
// Callers: pccs_collateral_test.cpp.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "vep/json.hpp"

namespace Poco::Net {
class HTTPServer;
}

namespace tdx_test {

class FakePccs {
  public:
    struct Response {
        int status = 200;
        std::vector<std::pair<std::string, std::string>> headers;
        std::string body;
        std::chrono::milliseconds delay{0};  // before the status line is sent
        bool chunked = false;                // no Content-Length
    };

    FakePccs();
    ~FakePccs();
    FakePccs(const FakePccs &) = delete;
    FakePccs &operator=(const FakePccs &) = delete;

    // "http://127.0.0.1:<port>"
    std::string url() const;
    void set(const std::string &target, Response response);
    int hits(const std::string &target) const;
    int total_hits() const;

    // The request targets of the PCS v4 API under `prefix`.
    static std::string tcb_target(const std::string &fmspc_upper, const std::string &prefix = "");
    static std::string qe_target(const std::string &prefix = "");
    static std::string pck_crl_target(const std::string &ca = "platform", const std::string &prefix = "");
    static std::string root_crl_target(const std::string &prefix = "");

    // Serves `collateral` (QuoteCollateralV3) as PCS responses for `fmspc_upper`: tcbInfo /
    // enclaveIdentity members with the served text verbatim, hex signatures, URL-encoded issuer
    // chain headers, the PCK CRL as DER and the root CA CRL as hex text (as a PCCS does).
    void serve_collateral(const vep::json::Value &collateral, const std::string &fmspc_upper,
                          const std::string &prefix = "");

    struct State;

  private:
    std::shared_ptr<State> state_;
    std::unique_ptr<Poco::Net::HTTPServer> server_;
    int port_ = 0;
};

// Percent-encodes everything but RFC 3986 unreserved characters.
std::string url_encode(const std::string &text);
std::string unhex_to_string(const std::string &text);

}  // namespace tdx_test
