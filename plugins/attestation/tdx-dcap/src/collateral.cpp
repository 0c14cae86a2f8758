// Intel DCAP collateral (see collateral.hpp).
#include "collateral.hpp"

#include <openssl/x509.h>

#include <fstream>
#include <stdexcept>

#include "vep/attestation/hex.hpp"
#include "vep/attestation/timestamp.hpp"

namespace vep::tdx_dcap {
namespace {

constexpr size_t kMaxCollateralFile = 4 * 1024 * 1024;

const std::string &member_string(const json::Value &root, std::string_view key) {
    const json::Value *v = root.find(key);
    if (!v || !v->is_string()) throw std::invalid_argument("collateral member \"" + std::string(key) + "\" missing");
    return v->as_string();
}

std::vector<uint8_t> member_hex(const json::Value &root, std::string_view key) {
    auto bytes = attestation::hex_decode(attestation::strip_0x(attestation::trim(member_string(root, key))));
    if (!bytes) throw std::invalid_argument("collateral member \"" + std::string(key) + "\" is not hex");
    return std::move(*bytes);
}

std::vector<X509Ptr> member_chain(const json::Value &root, std::string_view key) {
    auto chain = parse_pem_certificates(member_string(root, key));
    if (chain.empty()) throw std::invalid_argument("collateral member \"" + std::string(key) + "\" is not a PEM chain");
    return chain;
}

X509CrlPtr member_crl(const json::Value &root, std::string_view key) {
    X509CrlPtr crl = parse_der_crl(member_hex(root, key));
    if (!crl) throw std::invalid_argument("collateral member \"" + std::string(key) + "\" is not a DER CRL");
    return crl;
}

json::Value signed_body(const std::string &text, std::string_view key) {
    json::Value v = json::parse(text);
    if (!v.is_object()) throw std::invalid_argument("collateral member \"" + std::string(key) + "\" is not an object");
    return v;
}

// Checks one signed document (TCB Info or QE Identity): chain, signature, validity window.
std::string check_signed(std::string_view what, const PinnedRoots &roots, const std::vector<X509Ptr> &chain,
                         X509_CRL *root_crl, const std::string &text, const std::vector<uint8_t> &signature,
                         const json::Value &body, int64_t now) {
    if (std::string why = roots.verify(chain, now, {root_crl}); !why.empty())
        return std::string(what) + " issuer chain: " + why;
    EVP_PKEY *key = X509_get0_pubkey(chain.front().get());
    const std::span<const uint8_t> data(reinterpret_cast<const uint8_t *>(text.data()), text.size());
    if (!verify_p256_signature(key, signature, data)) return std::string(what) + " signature does not verify";
    const json::Value *issue_date = body.find("issueDate");
    const json::Value *next_update = body.find("nextUpdate");
    std::optional<int64_t> issued, next;
    if (issue_date && issue_date->is_string()) issued = attestation::parse_rfc3339(issue_date->as_string());
    if (next_update && next_update->is_string()) next = attestation::parse_rfc3339(next_update->as_string());
    if (!issued || !next) return std::string(what) + " has no valid issueDate/nextUpdate";
    if (now < *issued) return std::string(what) + " is not yet valid (issueDate " + issue_date->as_string() + ")";
    if (now > *next) return std::string(what) + " has expired (nextUpdate " + next_update->as_string() + ")";
    return "";
}

}  // namespace

Collateral Collateral::parse(std::string_view json_text) {
    const json::Value root = json::parse(json_text);
    if (!root.is_object()) throw std::invalid_argument("collateral is not a JSON object");
    Collateral c;
    c.tcb_info_text_ = member_string(root, "tcb_info");
    c.qe_identity_text_ = member_string(root, "qe_identity");
    c.tcb_info_signature_ = member_hex(root, "tcb_info_signature");
    c.qe_identity_signature_ = member_hex(root, "qe_identity_signature");
    c.tcb_info_chain_ = member_chain(root, "tcb_info_issuer_chain");
    c.qe_identity_chain_ = member_chain(root, "qe_identity_issuer_chain");
    c.pck_crl_ = member_crl(root, "pck_crl");
    c.root_ca_crl_ = member_crl(root, "root_ca_crl");
    c.tcb_info_ = signed_body(c.tcb_info_text_, "tcb_info");
    c.qe_identity_ = signed_body(c.qe_identity_text_, "qe_identity");
    return c;
}

Collateral Collateral::load_file(const std::string &path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::invalid_argument("cannot open collateral_file " + path);
    std::string text;
    char buf[65536];
    while (in.read(buf, sizeof buf) || in.gcount() > 0) {
        text.append(buf, static_cast<size_t>(in.gcount()));
        if (text.size() > kMaxCollateralFile) throw std::invalid_argument("collateral_file is larger than 4 MiB");
    }
    return parse(text);
}

std::string Collateral::check(const PinnedRoots &roots, const std::vector<X509Ptr> &pck_chain, int64_t now) const {
    if (std::string why = check_signed("TCB Info", roots, tcb_info_chain_, root_ca_crl_.get(), tcb_info_text_,
                                       tcb_info_signature_, tcb_info_, now);
        !why.empty())
        return why;
    if (std::string why = check_signed("QE Identity", roots, qe_identity_chain_, root_ca_crl_.get(),
                                       qe_identity_text_, qe_identity_signature_, qe_identity_, now);
        !why.empty())
        return why;
    if (std::string why = roots.verify(pck_chain, now, {pck_crl_.get(), root_ca_crl_.get()}); !why.empty())
        return "PCK chain with CRLs: " + why;
    return "";
}

}  // namespace vep::tdx_dcap
