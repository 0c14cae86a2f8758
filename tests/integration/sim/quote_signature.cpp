#include "quote_signature.hpp"

#include <memory>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

namespace vep::sim::test {
namespace {

constexpr size_t kSignedSize = 48 + 584;
constexpr size_t kSignatureOffset = kSignedSize + 4;

}  // namespace

bool quote_signature_valid(const std::vector<uint8_t> &quote) {
    if (quote.size() < kSignatureOffset + 128) return false;
    const uint8_t *sig = quote.data() + kSignatureOffset;
    uint8_t pub[65];
    pub[0] = 0x04;
    std::copy(sig + 64, sig + 128, pub + 1);

    std::unique_ptr<OSSL_PARAM_BLD, decltype(&OSSL_PARAM_BLD_free)> bld(OSSL_PARAM_BLD_new(), OSSL_PARAM_BLD_free);
    OSSL_PARAM_BLD_push_utf8_string(bld.get(), OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0);
    OSSL_PARAM_BLD_push_octet_string(bld.get(), OSSL_PKEY_PARAM_PUB_KEY, pub, sizeof pub);
    std::unique_ptr<OSSL_PARAM, decltype(&OSSL_PARAM_free)> params(OSSL_PARAM_BLD_to_param(bld.get()), OSSL_PARAM_free);
    std::unique_ptr<EVP_PKEY_CTX, decltype(&EVP_PKEY_CTX_free)> pctx(EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr),
                                                                      EVP_PKEY_CTX_free);
    EVP_PKEY *raw_key = nullptr;
    if (!pctx || EVP_PKEY_fromdata_init(pctx.get()) != 1 ||
        EVP_PKEY_fromdata(pctx.get(), &raw_key, EVP_PKEY_PUBLIC_KEY, params.get()) != 1)
        return false;
    std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(raw_key, EVP_PKEY_free);

    std::unique_ptr<ECDSA_SIG, decltype(&ECDSA_SIG_free)> ecdsa(ECDSA_SIG_new(), ECDSA_SIG_free);
    ECDSA_SIG_set0(ecdsa.get(), BN_bin2bn(sig, 32, nullptr), BN_bin2bn(sig + 32, 32, nullptr));
    unsigned char *der = nullptr;
    const int der_len = i2d_ECDSA_SIG(ecdsa.get(), &der);
    if (der_len <= 0) return false;
    struct DerFree {
        void operator()(unsigned char *p) const { OPENSSL_free(p); }
    };
    const std::unique_ptr<unsigned char, DerFree> der_owner(der);

    std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> md(EVP_MD_CTX_new(), EVP_MD_CTX_free);
    if (EVP_DigestVerifyInit(md.get(), nullptr, EVP_sha256(), nullptr, key.get()) != 1) return false;
    return EVP_DigestVerify(md.get(), der, static_cast<size_t>(der_len), quote.data(), kSignedSize) == 1;
}

}  // namespace vep::sim::test
