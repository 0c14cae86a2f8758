// Raw r||s ECDSA-P384-SHA384 verification (see p384_signature.hpp).
#include "p384_signature.hpp"

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/err.h>

#include "openssl_handles.hpp"

namespace vep::nvidia {

bool verify_p384_sha384(EVP_PKEY *key, const uint8_t *data, size_t len, const std::array<uint8_t, 96> &signature) {
    OpenSslPtr<ECDSA_SIG> sig(ECDSA_SIG_new());
    BIGNUM *r = BN_bin2bn(signature.data(), 48, nullptr);
    BIGNUM *s = BN_bin2bn(signature.data() + 48, 48, nullptr);
    if (!sig || !r || !s || !ECDSA_SIG_set0(sig.get(), r, s)) {
        BN_free(r);
        BN_free(s);
        return false;
    }
    unsigned char *der = nullptr;
    const int der_len = i2d_ECDSA_SIG(sig.get(), &der);
    if (der_len <= 0) return false;
    OpenSslPtr<EVP_MD_CTX> ctx(EVP_MD_CTX_new());
    const bool ok = ctx && EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha384(), nullptr, key) == 1 &&
                    EVP_DigestVerify(ctx.get(), der, static_cast<size_t>(der_len), data, len) == 1;
    OPENSSL_free(der);
    ERR_clear_error();
    return ok;
}

}  // namespace vep::nvidia
