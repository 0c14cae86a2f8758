// Certificate chain validation to a pinned root (see pinned_chain.hpp).
#include "pinned_chain.hpp"

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "vep/hex.hpp"
#include "vep/sdk.hpp"

namespace vep::nvidia {
namespace {

constexpr size_t kMaxChainLength = 8;

}  // namespace

std::string certificate_sha256(X509 *cert) {
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    if (!X509_digest(cert, EVP_sha256(), md, &len)) return "";
    return hex::encode(md, len);
}

std::string certificate_subject(X509 *cert) {
    char buf[256];
    X509_NAME_oneline(X509_get_subject_name(cert), buf, sizeof buf);
    return buf;
}

PinnedChain validate_pinned_chain(const std::string &pem_chain, const std::set<std::string> &pinned_root_sha256,
                                  int64_t verification_time, const std::string &what) {
    const auto invalid = [&](const std::string &why) {
        ERR_clear_error();
        throw Failure("attestation_invalid_nvidia_evidence", what + ": " + why);
    };
    OpenSslPtr<BIO> bio(BIO_new_mem_buf(pem_chain.data(), static_cast<int>(pem_chain.size())));
    if (!bio) invalid("out of memory");
    PinnedChain out;
    while (X509 *cert = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)) {
        out.certs.emplace_back(cert);
        if (out.certs.size() > kMaxChainLength) invalid("more than " + std::to_string(kMaxChainLength) + " certificates");
    }
    ERR_clear_error();  // the loop ends with a "no start line" error
    if (out.certs.size() < 2) invalid("needs at least a leaf and a root certificate");
    X509 *leaf = out.certs.front().get();
    X509 *root = out.certs.back().get();
    out.root_sha256 = certificate_sha256(root);
    if (!pinned_root_sha256.count(out.root_sha256))
        invalid("chain ends at \"" + certificate_subject(root) + "\" with SHA-256 " + out.root_sha256 +
                ", which is not a pinned root");

    OpenSslPtr<X509_STORE> store(X509_STORE_new());
    OpenSslPtr<STACK_OF(X509)> untrusted(sk_X509_new_null());
    OpenSslPtr<X509_STORE_CTX> ctx(X509_STORE_CTX_new());
    if (!store || !untrusted || !ctx || !X509_STORE_add_cert(store.get(), root)) invalid("out of memory");
    for (size_t i = 1; i + 1 < out.certs.size(); ++i)
        if (!sk_X509_push(untrusted.get(), out.certs[i].get())) invalid("out of memory");
    if (!X509_STORE_CTX_init(ctx.get(), store.get(), leaf, untrusted.get())) invalid("cannot initialise verification");
    X509_VERIFY_PARAM *param = X509_STORE_CTX_get0_param(ctx.get());
    X509_VERIFY_PARAM_set_flags(param, X509_V_FLAG_X509_STRICT | X509_V_FLAG_CHECK_SS_SIGNATURE);
    X509_VERIFY_PARAM_set_depth(param, static_cast<int>(kMaxChainLength));
    X509_VERIFY_PARAM_set_time(param, static_cast<time_t>(verification_time));
    if (X509_verify_cert(ctx.get()) != 1) {
        const int err = X509_STORE_CTX_get_error(ctx.get());
        invalid(std::string("does not validate to the pinned root: ") + X509_verify_cert_error_string(err));
    }
    return out;
}

}  // namespace vep::nvidia
