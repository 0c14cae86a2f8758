// GPU certificate chain validation (see gpu_certificate_chain.hpp).
#include "gpu_certificate_chain.hpp"

#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "vep/sdk.hpp"

namespace vep::nvidia {
namespace {

constexpr size_t kFwidSize = 48;
constexpr const char *kTcgDiceTcbInfoOid = "2.23.133.5.4.1";

[[noreturn]] void invalid(const std::string &why) {
    ERR_clear_error();
    throw Failure("attestation_invalid_nvidia_evidence", "GPU certificate chain: " + why);
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
    VerifiedGpuChain out;
    out.chain = validate_pinned_chain(pem_chain, pinned_root_sha256, verification_time, "GPU certificate chain");
    X509 *leaf = out.chain.certs.front().get();
    out.leaf_key = leaf_p384_key(leaf);
    out.leaf_fwid = leaf_fwid(leaf);
    out.leaf_subject = certificate_subject(leaf);
    unsigned char *der = nullptr;
    const int der_len = i2d_X509(leaf, &der);
    if (der_len <= 0) invalid("cannot encode the leaf certificate");
    out.leaf_der.assign(der, der + der_len);
    OPENSSL_free(der);
    return out;
}

}  // namespace vep::nvidia
