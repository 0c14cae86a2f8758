// Fetches TDX collateral for one platform from an Intel PCS / PCCS v4 API.
//
// Owns: the base URL (config `pccs_url`; a trailing "/sgx/certification/v4" or
// "/tdx/certification/v4" is accepted and stripped), the four requests of one collateral fetch
//   GET {base}/tdx/certification/v4/tcb?fmspc=<HEX>   {"tcbInfo":…,"signature":hex} + TCB-Info-Issuer-Chain
//   GET {base}/tdx/certification/v4/qe/identity       {"enclaveIdentity":…,"signature":hex} + SGX-Enclave-Identity-Issuer-Chain
//   GET {base}/sgx/certification/v4/pckcrl?ca=<ca>&encoding=der   CRL (DER, PEM or hex text)
//   GET {base}/sgx/certification/v4/rootcacrl                      CRL (DER, PEM or hex text)
// and turning the responses into CollateralParts: the signed members are sliced out of the served
// bodies byte for byte, issuer chains are URL-decoded from the headers. Nothing is trusted here;
// Collateral::check verifies it all. Thread-safe. Caller: the tdx-dcap verifier, via the cache.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>

#include "vep/attestation/bounded_http_client.hpp"
#include "collateral.hpp"

namespace vep::tdx_dcap {

// Which Intel CA issued the PCK leaf: selects the PCK CRL (`ca=platform` / `ca=processor`).
enum class PckCa { Platform, Processor };
const char *pck_ca_name(PckCa ca);
// From the PCK leaf's issuer common name ("Intel SGX PCK Platform CA" / "… Processor CA");
// nullopt for any other issuer.
std::optional<PckCa> pck_issuing_ca(X509 *pck_leaf);

// A collateral fetch that failed: unreachable server, HTTP error, timeout, oversized or malformed
// response. The message names the request.
class PccsError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

class PccsClient {
  public:
    static constexpr size_t kMaxResponseBytes = 1024 * 1024;

    // Throws std::invalid_argument when `pccs_url` is not an http(s) URL with a host.
    PccsClient(const std::string &pccs_url, std::chrono::milliseconds timeout);

    // Fetches and assembles the collateral for `fmspc` and `ca`. Throws PccsError, or
    // std::invalid_argument when a fetched item does not parse (Collateral::from_parts).
    Collateral fetch(const std::array<uint8_t, 6> &fmspc, PckCa ca) const;

    // The normalised base URL, for messages.
    const std::string &base_url() const { return base_url_; }

  private:
    attestation::HttpResponse get_ok(const std::string &path_and_query) const;

    std::string base_url_;
    std::string base_path_;  // "" or "/prefix", without a trailing slash
    std::unique_ptr<attestation::BoundedHttpClient> http_;
};

}  // namespace vep::tdx_dcap
