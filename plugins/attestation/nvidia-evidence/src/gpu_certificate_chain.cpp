// GPU certificate chain validation (see gpu_certificate_chain.hpp).
#include "gpu_certificate_chain.hpp"

#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "vep/hex.hpp"
#include "vep/sdk.hpp"

namespace vep::nvidia {
namespace {

constexpr size_t kMaxChainLength = 8;
constexpr size_t kFwidSize = 48;
constexpr const char *kTcgDiceTcbInfoOid = "2.23.133.5.4.1";

[[noreturn]] void invalid(const std::string &why) {
    ERR_clear_error();
    throw Failure("attestation_invalid_nvidia_evidence", "GPU certificate chain: " + why);
}

std::vector<OpenSslPtr<X509>> read_pem_chain(const std::string &pem) {
    OpenSslPtr<BIO> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
    if (!bio) invalid("out of memory");
    std::vector<OpenSslPtr<X509>> certs;
    while (X509 *cert = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)) {
        certs.emplace_back(cert);
        if (certs.size() > kMaxChainLength) invalid("more than " + std::to_string(kMaxChainLength) + " certificates");
    }
    ERR_clear_error();  // the loop ends with a "no start line" error
    if (certs.size() < 2) invalid("needs at least a leaf and a root certificate");
    return certs;
}

std::string sha256_fingerprint(X509 *cert) {
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    if (!X509_digest(cert, EVP_sha256(), md, &len)) invalid("cannot hash a certificate");
    return hex::encode(md, len);
}

std::string subject_of(X509 *cert) {
    char buf[256];
    X509_NAME_oneline(X509_get_subject_name(cert), buf, sizeof buf);
    return buf;
}

std::vector<uint8_t> leaf_fwid(X509 *leaf) {
    OpenSslPtr<ASN1_OBJECT> oid(OBJ_txt2obj(kTcgDiceTcbInfoOid, 1));
    if (!oid) invalid("cannot build the DICE OID");
    const int index = X509_get_ext_by_OBJ(leaf, oid.get(), -1);
    if (index < 0) invalid("leaf certificate has no TCG DICE TcbInfo extension (FWID)");
    const ASN1_OCTET_STRING *data = X509_EXTENSION_get_data(X509_get_ext(leaf, index));
    const int len = ASN1_STRING_length(data);
    if (len < static_cast<int>(kFwidSize)) invalid("leaf TcbInfo extension is too short for an FWID");
    const unsigned char *p = ASN1_STRING_get0_data(data);
    return std::vector<uint8_t>(p + len - kFwidSize, p + len);
}

OpenSslPtr<EVP_PKEY> leaf_p384_key(X509 *leaf) {
    EVP_PKEY *key = X509_get_pubkey(leaf);
    if (!key) invalid("leaf certificate has no readable public key");
    OpenSslPtr<EVP_PKEY> owned(key);
    char group[64] = {0};
    size_t group_len = 0;
    if (EVP_PKEY_get_base_id(key) != EVP_PKEY_EC ||
        !EVP_PKEY_get_group_name(key, group, sizeof group, &group_len) || std::string(group) != "secp384r1")
        invalid("leaf key is not ECDSA P-384");
    return owned;
}

}  // namespace

VerifiedGpuChain verify_gpu_certificate_chain(const std::string &pem_chain, const std::set<std::string> &pinned_root_sha256,
                                              int64_t verification_time) {
    std::vector<OpenSslPtr<X509>> certs = read_pem_chain(pem_chain);
    X509 *leaf = certs.front().get();
    X509 *root = certs.back().get();
    VerifiedGpuChain out;
    out.root_sha256 = sha256_fingerprint(root);
    if (!pinned_root_sha256.count(out.root_sha256))
        invalid("chain ends at \"" + subject_of(root) + "\" with SHA-256 " + out.root_sha256 + ", which is not a pinned root");

    OpenSslPtr<X509_STORE> store(X509_STORE_new());
    OpenSslPtr<STACK_OF(X509)> untrusted(sk_X509_new_null());
    OpenSslPtr<X509_STORE_CTX> ctx(X509_STORE_CTX_new());
    if (!store || !untrusted || !ctx || !X509_STORE_add_cert(store.get(), root)) invalid("out of memory");
    for (size_t i = 1; i + 1 < certs.size(); ++i)
        if (!sk_X509_push(untrusted.get(), certs[i].get())) invalid("out of memory");
    if (!X509_STORE_CTX_init(ctx.get(), store.get(), leaf, untrusted.get())) invalid("cannot initialise verification");
    X509_VERIFY_PARAM *param = X509_STORE_CTX_get0_param(ctx.get());
    X509_VERIFY_PARAM_set_flags(param, X509_V_FLAG_X509_STRICT | X509_V_FLAG_CHECK_SS_SIGNATURE);
    X509_VERIFY_PARAM_set_depth(param, static_cast<int>(kMaxChainLength));
    X509_VERIFY_PARAM_set_time(param, static_cast<time_t>(verification_time));
    if (X509_verify_cert(ctx.get()) != 1) {
        const int err = X509_STORE_CTX_get_error(ctx.get());
        invalid(std::string("does not validate to the pinned root: ") + X509_verify_cert_error_string(err));
    }
    out.leaf_key = leaf_p384_key(leaf);
    out.leaf_fwid = leaf_fwid(leaf);
    out.leaf_subject = subject_of(leaf);
    unsigned char *der = nullptr;
    const int der_len = i2d_X509(leaf, &der);
    if (der_len <= 0) invalid("cannot encode the leaf certificate");
    out.leaf_der.assign(der, der + der_len);
    OPENSSL_free(der);
    return out;
}

}  // namespace vep::nvidia
