// Intel DCAP collateral (see collateral.hpp).
#include "collateral.hpp"

#include <openssl/x509.h>

#include <ctime>
#include <fstream>
#include <stdexcept>

#include "vep/attestation/timestamp.hpp"
#include "vep/hex.hpp"
#include "vep/text.hpp"

namespace vep::tdx_dcap {
namespace {

constexpr size_t kMaxCollateralFile = 4 * 1024 * 1024;

const std::string &member_string(const json::Value &root, std::string_view key) {
    const json::Value *v = root.find(key);
    if (!v || !v->is_string()) throw std::invalid_argument("collateral member \"" + std::string(key) + "\" missing");
    return v->as_string();
}

std::vector<uint8_t> member_hex(const json::Value &root, std::string_view key) {
    auto bytes = hex::decode(hex::strip_0x(trim_ascii(member_string(root, key))));
    if (!bytes) throw std::invalid_argument("collateral member \"" + std::string(key) + "\" is not hex");
    return std::move(*bytes);
}

std::vector<X509Ptr> chain_of(const std::string &pem, std::string_view what) {
    auto chain = parse_pem_certificates(pem);
    if (chain.empty()) throw std::invalid_argument(std::string(what) + " is not a PEM certificate chain");
    return chain;
}

X509CrlPtr crl_of(const std::vector<uint8_t> &der, std::string_view what) {
    X509CrlPtr crl = parse_der_crl(der);
    if (!crl) throw std::invalid_argument(std::string(what) + " is not a DER CRL");
    return crl;
}

json::Value signed_body(const std::string &text, std::string_view what) {
    json::Value v;
    try {
        v = json::parse(text);
    } catch (const json::ParseError &e) {
        throw std::invalid_argument(std::string(what) + " is not JSON: " + e.what());
    }
    if (!v.is_object()) throw std::invalid_argument(std::string(what) + " is not a JSON object");
    return v;
}

std::optional<int64_t> json_date(const json::Value &body, std::string_view key) {
    const json::Value *v = body.find(key);
    if (!v || !v->is_string()) return std::nullopt;
    return attestation::parse_rfc3339(v->as_string());
}

std::optional<int64_t> crl_next_update(X509_CRL *crl) {
    const ASN1_TIME *next = X509_CRL_get0_nextUpdate(crl);
    struct tm tm {};
    if (!next || ASN1_TIME_to_tm(next, &tm) != 1) return std::nullopt;
    return static_cast<int64_t>(timegm(&tm));
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
    const std::optional<int64_t> issued = json_date(body, "issueDate");
    const std::optional<int64_t> next = json_date(body, "nextUpdate");
    if (!issued || !next) return std::string(what) + " has no valid issueDate/nextUpdate";
    if (now < *issued)
        return std::string(what) + " is not yet valid (issueDate " + body.find("issueDate")->as_string() + ")";
    if (now > *next)
        return std::string(what) + " has expired (nextUpdate " + body.find("nextUpdate")->as_string() + ")";
    return "";
}

}  // namespace

Collateral Collateral::from_parts(CollateralParts parts) {
    Collateral c;
    c.tcb_info_chain_ = chain_of(parts.tcb_info_issuer_chain_pem, "TCB Info issuer chain");
    c.qe_identity_chain_ = chain_of(parts.qe_identity_issuer_chain_pem, "QE Identity issuer chain");
    c.pck_crl_ = crl_of(parts.pck_crl_der, "PCK CRL");
    c.root_ca_crl_ = crl_of(parts.root_ca_crl_der, "root CA CRL");
    c.tcb_info_ = signed_body(parts.tcb_info_text, "TCB Info");
    c.qe_identity_ = signed_body(parts.qe_identity_text, "QE Identity");
    c.tcb_info_text_ = std::move(parts.tcb_info_text);
    c.qe_identity_text_ = std::move(parts.qe_identity_text);
    c.tcb_info_signature_ = std::move(parts.tcb_info_signature);
    c.qe_identity_signature_ = std::move(parts.qe_identity_signature);
    return c;
}

Collateral Collateral::parse(std::string_view json_text) {
    const json::Value root = json::parse(json_text);
    if (!root.is_object()) throw std::invalid_argument("collateral is not a JSON object");
    CollateralParts parts;
    parts.tcb_info_text = member_string(root, "tcb_info");
    parts.qe_identity_text = member_string(root, "qe_identity");
    parts.tcb_info_signature = member_hex(root, "tcb_info_signature");
    parts.qe_identity_signature = member_hex(root, "qe_identity_signature");
    parts.tcb_info_issuer_chain_pem = member_string(root, "tcb_info_issuer_chain");
    parts.qe_identity_issuer_chain_pem = member_string(root, "qe_identity_issuer_chain");
    parts.pck_crl_der = member_hex(root, "pck_crl");
    parts.root_ca_crl_der = member_hex(root, "root_ca_crl");
    return from_parts(std::move(parts));
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

std::optional<int64_t> Collateral::next_update() const {
    const std::optional<int64_t> dates[] = {json_date(tcb_info_, "nextUpdate"), json_date(qe_identity_, "nextUpdate"),
                                            crl_next_update(pck_crl_.get()), crl_next_update(root_ca_crl_.get())};
    std::optional<int64_t> earliest;
    for (const auto &d : dates) {
        if (!d) return std::nullopt;
        if (!earliest || *d < *earliest) earliest = d;
    }
    return earliest;
}

std::string Collateral::check_signed_documents(const PinnedRoots &roots, int64_t now) const {
    if (std::string why = check_signed("TCB Info", roots, tcb_info_chain_, root_ca_crl_.get(), tcb_info_text_,
                                       tcb_info_signature_, tcb_info_, now);
        !why.empty())
        return why;
    return check_signed("QE Identity", roots, qe_identity_chain_, root_ca_crl_.get(), qe_identity_text_,
                        qe_identity_signature_, qe_identity_, now);
}

std::string Collateral::check(const PinnedRoots &roots, const std::vector<X509Ptr> &pck_chain, int64_t now) const {
    if (std::string why = check_signed_documents(roots, now); !why.empty()) return why;
    if (std::string why = roots.verify(pck_chain, now, {pck_crl_.get(), root_ca_crl_.get()}); !why.empty())
        return "PCK chain with CRLs: " + why;
    return "";
}

}  // namespace vep::tdx_dcap
