// Certificate chain verification to a pinned root (see pinned_roots.hpp).
#include "pinned_roots.hpp"

#include <openssl/bio.h>
#include <openssl/pem.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <stdexcept>

#include "intel_sgx_root_ca.hpp"
#include "vep/hex.hpp"
#include "vep/text.hpp"

namespace vep::tdx_dcap {
namespace {

struct StoreFree {
    void operator()(X509_STORE *p) const { X509_STORE_free(p); }
};
struct StoreCtxFree {
    void operator()(X509_STORE_CTX *p) const { X509_STORE_CTX_free(p); }
};
struct StackFree {
    void operator()(STACK_OF(X509) * p) const { sk_X509_free(p); }
};

bool self_signed(X509 *cert) { return X509_check_issued(cert, cert) == X509_V_OK; }

}  // namespace

PinnedRoots::PinnedRoots(const std::vector<std::string> &sha256_hex) {
    for (const auto &text : sha256_hex) {
        std::string digits;
        for (char c : text)
            if (c != ':') digits.push_back(c);
        const auto bytes = hex::decode(trim_ascii(digits));
        if (!bytes || bytes->size() != 32)
            throw std::invalid_argument("root_ca_sha256 entry is not a SHA-256 hex fingerprint: " + text);
        Sha256 fp{};
        std::copy(bytes->begin(), bytes->end(), fp.begin());
        fingerprints_.push_back(fp);
    }
    auto certs = parse_pem_certificates(kIntelSgxRootCaPem, 1);
    if (certs.size() != 1) throw std::runtime_error("embedded Intel SGX Root CA does not parse");
    intel_root_ = std::move(certs.front());
}

bool PinnedRoots::pinned(X509 *cert) const {
    const Sha256 fp = certificate_sha256(cert);
    return std::find(fingerprints_.begin(), fingerprints_.end(), fp) != fingerprints_.end();
}

std::string PinnedRoots::verify(const std::vector<X509Ptr> &chain, int64_t unix_time,
                                const std::vector<X509_CRL *> &crls) const {
    if (chain.empty()) return "empty certificate chain";
    X509 *anchor = nullptr;
    std::unique_ptr<STACK_OF(X509), StackFree> untrusted(sk_X509_new_null());
    if (!untrusted) return "out of memory";
    for (size_t i = 1; i < chain.size(); ++i) {
        X509 *cert = chain[i].get();
        if (self_signed(cert)) {
            if (!anchor && pinned(cert)) anchor = cert;
            continue;  // a self-signed certificate is never an intermediate
        }
        if (!sk_X509_push(untrusted.get(), cert)) return "out of memory";
    }
    if (!anchor && pinned(intel_root_.get())) anchor = intel_root_.get();
    if (!anchor) {
        X509 *top = chain.back().get();
        return "certificate chain does not lead to a pinned root (top certificate SHA-256 " +
               hex::encode(certificate_sha256(top).data(), 32) + ")";
    }

    std::unique_ptr<X509_STORE, StoreFree> store(X509_STORE_new());
    std::unique_ptr<X509_STORE_CTX, StoreCtxFree> ctx(X509_STORE_CTX_new());
    if (!store || !ctx || X509_STORE_add_cert(store.get(), anchor) != 1) return "cannot build the trust store";
    unsigned long flags = X509_V_FLAG_X509_STRICT | X509_V_FLAG_USE_CHECK_TIME;
    for (X509_CRL *crl : crls)
        if (X509_STORE_add_crl(store.get(), crl) != 1) return "cannot add a CRL to the trust store";
    if (!crls.empty()) flags |= X509_V_FLAG_CRL_CHECK | X509_V_FLAG_CRL_CHECK_ALL;
    if (X509_STORE_CTX_init(ctx.get(), store.get(), chain.front().get(), untrusted.get()) != 1)
        return "cannot initialise chain verification";
    X509_VERIFY_PARAM *param = X509_STORE_CTX_get0_param(ctx.get());
    X509_VERIFY_PARAM_set_flags(param, flags);
    X509_VERIFY_PARAM_set_time(param, static_cast<time_t>(unix_time));
    if (X509_verify_cert(ctx.get()) != 1) {
        const int err = X509_STORE_CTX_get_error(ctx.get());
        last_openssl_error();
        return std::string("certificate chain rejected: ") + X509_verify_cert_error_string(err) + " (depth " +
               std::to_string(X509_STORE_CTX_get_error_depth(ctx.get())) + ")";
    }
    return "";
}

}  // namespace vep::tdx_dcap
