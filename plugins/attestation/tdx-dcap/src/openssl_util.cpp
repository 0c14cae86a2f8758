// Small OpenSSL 3 helpers (see openssl_util.hpp).
#include "openssl_util.hpp"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>

namespace vep::tdx_dcap {
namespace {

struct MdCtxFree {
    void operator()(EVP_MD_CTX *p) const { EVP_MD_CTX_free(p); }
};
struct PkeyCtxFree {
    void operator()(EVP_PKEY_CTX *p) const { EVP_PKEY_CTX_free(p); }
};
struct ParamBldFree {
    void operator()(OSSL_PARAM_BLD *p) const { OSSL_PARAM_BLD_free(p); }
};
struct ParamFree {
    void operator()(OSSL_PARAM *p) const { OSSL_PARAM_free(p); }
};
struct SigFree {
    void operator()(ECDSA_SIG *p) const { ECDSA_SIG_free(p); }
};
struct BioFree {
    void operator()(BIO *p) const { BIO_free(p); }
};

template <size_t N>
std::array<uint8_t, N> digest(const EVP_MD *md, std::span<const uint8_t> data) {
    std::array<uint8_t, N> out{};
    unsigned int len = 0;
    if (EVP_Digest(data.data(), data.size(), out.data(), &len, md, nullptr) != 1 || len != N)
        throw std::runtime_error("digest failed");
    return out;
}

}  // namespace

Sha256 sha256(std::span<const uint8_t> data) { return digest<32>(EVP_sha256(), data); }
Sha384 sha384(std::span<const uint8_t> data) { return digest<48>(EVP_sha384(), data); }

PkeyPtr p256_public_key(std::span<const uint8_t> xy) {
    if (xy.size() != 64) return nullptr;
    uint8_t point[65];
    point[0] = 0x04;
    std::copy(xy.begin(), xy.end(), point + 1);
    std::unique_ptr<OSSL_PARAM_BLD, ParamBldFree> bld(OSSL_PARAM_BLD_new());
    if (!bld || OSSL_PARAM_BLD_push_utf8_string(bld.get(), OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0) != 1 ||
        OSSL_PARAM_BLD_push_octet_string(bld.get(), OSSL_PKEY_PARAM_PUB_KEY, point, sizeof point) != 1)
        return nullptr;
    std::unique_ptr<OSSL_PARAM, ParamFree> params(OSSL_PARAM_BLD_to_param(bld.get()));
    std::unique_ptr<EVP_PKEY_CTX, PkeyCtxFree> ctx(EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr));
    EVP_PKEY *key = nullptr;
    if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
        EVP_PKEY_fromdata(ctx.get(), &key, EVP_PKEY_PUBLIC_KEY, params.get()) != 1) {
        ERR_clear_error();
        return nullptr;
    }
    PkeyPtr owned(key);
    // EVP_PKEY_fromdata does not prove the point is on the curve; the public check does.
    std::unique_ptr<EVP_PKEY_CTX, PkeyCtxFree> check(EVP_PKEY_CTX_new_from_pkey(nullptr, key, nullptr));
    if (!check || EVP_PKEY_public_check(check.get()) != 1) {
        ERR_clear_error();
        return nullptr;
    }
    return owned;
}

bool verify_p256_signature(EVP_PKEY *key, std::span<const uint8_t> raw_signature, std::span<const uint8_t> data) {
    if (!key || raw_signature.size() != 64) return false;
    std::unique_ptr<ECDSA_SIG, SigFree> sig(ECDSA_SIG_new());
    BIGNUM *r = BN_bin2bn(raw_signature.data(), 32, nullptr);
    BIGNUM *s = BN_bin2bn(raw_signature.data() + 32, 32, nullptr);
    if (!sig || !r || !s || ECDSA_SIG_set0(sig.get(), r, s) != 1) {
        BN_free(r);
        BN_free(s);
        return false;
    }
    unsigned char *der = nullptr;
    const int der_len = i2d_ECDSA_SIG(sig.get(), &der);
    if (der_len <= 0) return false;
    std::unique_ptr<EVP_MD_CTX, MdCtxFree> ctx(EVP_MD_CTX_new());
    const bool ok = ctx && EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key) == 1 &&
                    EVP_DigestVerify(ctx.get(), der, static_cast<size_t>(der_len), data.data(), data.size()) == 1;
    OPENSSL_free(der);
    ERR_clear_error();
    return ok;
}

std::vector<X509Ptr> parse_pem_certificates(std::string_view pem, size_t max_certs) {
    std::vector<X509Ptr> certs;
    static constexpr std::string_view kBegin = "-----BEGIN CERTIFICATE-----";
    size_t pos = pem.find(kBegin);
    while (pos != std::string_view::npos) {
        if (certs.size() == max_certs) return {};
        const std::string_view rest = pem.substr(pos);
        std::unique_ptr<BIO, BioFree> bio(BIO_new_mem_buf(rest.data(), static_cast<int>(rest.size())));
        X509Ptr cert(bio ? PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr) : nullptr);
        if (!cert) {
            ERR_clear_error();
            return {};
        }
        certs.push_back(std::move(cert));
        pos = pem.find(kBegin, pos + kBegin.size());
    }
    return certs;
}

X509CrlPtr parse_der_crl(std::span<const uint8_t> der) {
    const unsigned char *p = der.data();
    X509CrlPtr crl(d2i_X509_CRL(nullptr, &p, static_cast<long>(der.size())));
    if (!crl || p != der.data() + der.size()) {
        ERR_clear_error();
        return nullptr;
    }
    return crl;
}

Sha256 certificate_sha256(X509 *cert) {
    Sha256 out{};
    unsigned int len = 0;
    if (X509_digest(cert, EVP_sha256(), out.data(), &len) != 1 || len != out.size())
        throw std::runtime_error("X509_digest failed");
    return out;
}

std::string last_openssl_error() {
    const unsigned long e = ERR_get_error();
    ERR_clear_error();
    if (e == 0) return "";
    char buf[256];
    ERR_error_string_n(e, buf, sizeof buf);
    return buf;
}

}  // namespace vep::tdx_dcap
