// Fetches TDX collateral from an Intel PCS / PCCS v4 API (see pccs_client.hpp).
#include "pccs_client.hpp"

#include <Poco/Exception.h>
#include <Poco/URI.h>
#include <openssl/bio.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <algorithm>
#include <cctype>
#include <initializer_list>
#include <tuple>

#include "json_member_span.hpp"
#include "vep/hex.hpp"
#include "vep/json.hpp"
#include "vep/text.hpp"

namespace vep::tdx_dcap {
namespace {

constexpr std::string_view kApiSuffixes[] = {"/sgx/certification/v4", "/tdx/certification/v4"};

bool ends_with(std::string_view s, std::string_view suffix) {
    return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

std::string strip_trailing_slashes(std::string path) {
    while (!path.empty() && path.back() == '/') path.pop_back();
    return path;
}

// The first of `names` present in the response, URL-decoded (PCS sends PEM chains percent-encoded).
std::string issuer_chain(const attestation::HttpResponse &response, std::initializer_list<std::string_view> names,
                         const std::string &what) {
    for (std::string_view name : names) {
        if (const auto value = response.header(name)) {
            std::string decoded;
            try {
                Poco::URI::decode(*value, decoded);
            } catch (const Poco::Exception &e) {
                throw PccsError(what + ": issuer chain header is not URL-encoded PEM: " + e.displayText());
            }
            return decoded;
        }
    }
    throw PccsError(what + ": response has no " + std::string(*names.begin()) + " header");
}

// The exact bytes of the signed member and the decoded signature of a TCB Info / QE Identity body.
std::pair<std::string, std::vector<uint8_t>> signed_member(const std::string &body, std::string_view member,
                                                           const std::string &what) {
    std::optional<std::string_view> text;
    json::Value parsed;
    try {
        text = json_member_text(body, member);
        parsed = json::parse(body);
    } catch (const json::ParseError &e) {
        throw PccsError(what + ": body is not a JSON object: " + e.what());
    } catch (const std::invalid_argument &e) {
        throw PccsError(what + ": " + e.what());
    }
    if (!text) throw PccsError(what + ": body has no \"" + std::string(member) + "\" member");
    const json::Value *signature = parsed.find("signature");
    if (!signature || !signature->is_string()) throw PccsError(what + ": body has no \"signature\" string");
    auto bytes = hex::decode(hex::strip_0x(trim_ascii(signature->as_string())));
    if (!bytes) throw PccsError(what + ": \"signature\" is not hex");
    return {std::string(*text), std::move(*bytes)};
}

// A CRL body as DER: PCS serves DER (encoding=der) or PEM, a PCCS often hex text.
std::vector<uint8_t> crl_der(const std::string &body, const std::string &what) {
    const std::string_view trimmed = trim_ascii(body);
    if (trimmed.rfind("-----BEGIN", 0) == 0) {
        std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_mem_buf(trimmed.data(), static_cast<int>(trimmed.size())),
                                                      &BIO_free);
        X509CrlPtr crl(bio ? PEM_read_bio_X509_CRL(bio.get(), nullptr, nullptr, nullptr) : nullptr);
        unsigned char *der = nullptr;
        const int len = crl ? i2d_X509_CRL(crl.get(), &der) : -1;
        last_openssl_error();
        if (len <= 0) throw PccsError(what + ": body is not a PEM CRL");
        std::vector<uint8_t> out(der, der + len);
        OPENSSL_free(der);
        return out;
    }
    if (!trimmed.empty() && hex::all_digits(trimmed)) {
        if (auto bytes = hex::decode(trimmed)) return std::move(*bytes);
        throw PccsError(what + ": body is odd-length hex");
    }
    return std::vector<uint8_t>(body.begin(), body.end());
}

}  // namespace

const char *pck_ca_name(PckCa ca) { return ca == PckCa::Platform ? "platform" : "processor"; }

std::optional<PckCa> pck_issuing_ca(X509 *pck_leaf) {
    char name[128] = {};
    const int len = X509_NAME_get_text_by_NID(X509_get_issuer_name(pck_leaf), NID_commonName, name, sizeof name);
    if (len <= 0 || static_cast<size_t>(len) >= sizeof name) return std::nullopt;
    const std::string_view cn(name, static_cast<size_t>(len));
    if (cn == "Intel SGX PCK Platform CA") return PckCa::Platform;
    if (cn == "Intel SGX PCK Processor CA") return PckCa::Processor;
    return std::nullopt;
}

PccsClient::PccsClient(const std::string &pccs_url, std::chrono::milliseconds timeout) {
    Poco::URI uri;
    try {
        uri = Poco::URI(std::string(trim_ascii(pccs_url)));
    } catch (const Poco::Exception &e) {
        throw std::invalid_argument("pccs_url is not a URL: " + e.displayText());
    }
    std::string scheme = uri.getScheme();
    std::transform(scheme.begin(), scheme.end(), scheme.begin(), [](unsigned char c) { return std::tolower(c); });
    if (!uri.getRawQuery().empty() || !uri.getFragment().empty())
        throw std::invalid_argument("pccs_url must not carry a query or fragment");
    base_path_ = strip_trailing_slashes(uri.getPath());
    for (std::string_view suffix : kApiSuffixes)
        if (ends_with(base_path_, suffix)) base_path_ = strip_trailing_slashes(base_path_.substr(0, base_path_.size() - suffix.size()));
    http_ = std::make_unique<attestation::BoundedHttpClient>(scheme, uri.getHost(), uri.getPort(), timeout, kMaxResponseBytes);
    base_url_ = scheme + "://" + uri.getHost() + ":" + std::to_string(uri.getPort()) + base_path_;
}

attestation::HttpResponse PccsClient::get_ok(const std::string &path_and_query) const {
    attestation::HttpResponse response;
    try {
        response = http_->get(base_path_ + path_and_query);
    } catch (const attestation::HttpFetchError &e) {
        throw PccsError("GET " + base_url_ + path_and_query + ": " + e.what());
    }
    if (response.status != 200)
        throw PccsError("GET " + base_url_ + path_and_query + ": HTTP " + std::to_string(response.status));
    return response;
}

Collateral PccsClient::fetch(const std::array<uint8_t, 6> &fmspc, PckCa ca) const {
    std::string fmspc_hex = hex::encode(fmspc.data(), fmspc.size());
    std::transform(fmspc_hex.begin(), fmspc_hex.end(), fmspc_hex.begin(), [](unsigned char c) { return std::toupper(c); });
    CollateralParts parts;

    const std::string tcb_path = "/tdx/certification/v4/tcb?fmspc=" + fmspc_hex;
    const attestation::HttpResponse tcb = get_ok(tcb_path);
    const std::string tcb_what = "TCB Info from " + base_url_ + tcb_path;
    std::tie(parts.tcb_info_text, parts.tcb_info_signature) = signed_member(tcb.body, "tcbInfo", tcb_what);
    parts.tcb_info_issuer_chain_pem = issuer_chain(tcb, {"TCB-Info-Issuer-Chain", "SGX-TCB-Info-Issuer-Chain"}, tcb_what);

    const std::string qe_path = "/tdx/certification/v4/qe/identity";
    const attestation::HttpResponse qe = get_ok(qe_path);
    const std::string qe_what = "QE Identity from " + base_url_ + qe_path;
    std::tie(parts.qe_identity_text, parts.qe_identity_signature) = signed_member(qe.body, "enclaveIdentity", qe_what);
    parts.qe_identity_issuer_chain_pem =
        issuer_chain(qe, {"SGX-Enclave-Identity-Issuer-Chain", "Enclave-Identity-Issuer-Chain"}, qe_what);

    const std::string pck_crl_path = std::string("/sgx/certification/v4/pckcrl?ca=") + pck_ca_name(ca) + "&encoding=der";
    parts.pck_crl_der = crl_der(get_ok(pck_crl_path).body, "PCK CRL from " + base_url_ + pck_crl_path);

    const std::string root_crl_path = "/sgx/certification/v4/rootcacrl";
    parts.root_ca_crl_der = crl_der(get_ok(root_crl_path).body, "root CA CRL from " + base_url_ + root_crl_path);

    return Collateral::from_parts(std::move(parts));
}

}  // namespace vep::tdx_dcap
