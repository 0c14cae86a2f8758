#include "openssl_cipher.hpp"

#include <algorithm>
#include <string>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/obj_mac.h>
#include <openssl/params.h>

#include "vep_e2ee/failure_codes.hpp"

namespace vep::e2ee {

namespace {

constexpr char kCurveName[] = "secp256k1";

struct PkeyFree {
    void operator()(EVP_PKEY *p) const { EVP_PKEY_free(p); }
};
using Pkey = std::unique_ptr<EVP_PKEY, PkeyFree>;

struct PkeyCtxFree {
    void operator()(EVP_PKEY_CTX *p) const { EVP_PKEY_CTX_free(p); }
};
using PkeyCtx = std::unique_ptr<EVP_PKEY_CTX, PkeyCtxFree>;

struct BnClearFree {
    void operator()(BIGNUM *b) const { BN_clear_free(b); }
};
using SecretBn = std::unique_ptr<BIGNUM, BnClearFree>;

struct PointFree {
    void operator()(EC_POINT *p) const { EC_POINT_free(p); }
};
using EcPoint = std::unique_ptr<EC_POINT, PointFree>;

[[noreturn]] void crypto_failure(const std::string &what) {
    throw Failure(codes::kCryptoFailure, "OpenSSL failure: " + what);
}

// A key pair held as an OpenSSL EVP_PKEY (whose private BIGNUM OpenSSL clears on free).
class OpensslKeyPair final : public EcKeyPair {
  public:
    OpensslKeyPair(const Point &public_point, Pkey pkey) : EcKeyPair(public_point), pkey_(std::move(pkey)) {}
    EVP_PKEY *pkey() const { return pkey_.get(); }

  private:
    Pkey pkey_;
};

// Builds an EVP_PKEY on secp256k1 from OSSL_PARAMs (public only, or a full key pair).
Pkey pkey_from_params(const OSSL_PARAM *params, int selection) {
    PkeyCtx ctx(EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr));
    EVP_PKEY *raw = nullptr;
    if (!ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1 || EVP_PKEY_fromdata(ctx.get(), &raw, selection,
                                                                            const_cast<OSSL_PARAM *>(params)) != 1)
        return nullptr;
    return Pkey(raw);
}

}  // namespace

OpensslCipher::OpensslCipher(const json::Value &config) : FieldCodec(config) {
    group_ = EC_GROUP_new_by_curve_name(NID_secp256k1);
    if (!group_) crypto_failure("secp256k1 is not available");
}

OpensslCipher::~OpensslCipher() { EC_GROUP_free(group_); }

std::unique_ptr<EcKeyPair> OpensslCipher::random_keypair() const {
    Pkey pkey(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", kCurveName));
    if (!pkey) crypto_failure("secp256k1 key generation");
    Point point;
    size_t len = 0;
    if (EVP_PKEY_get_octet_string_param(pkey.get(), OSSL_PKEY_PARAM_PUB_KEY, point.data(), point.size(), &len) != 1 ||
        len != point.size() || point[0] != kUncompressedPrefix)
        crypto_failure("reading the generated public key");
    return std::make_unique<OpensslKeyPair>(point, std::move(pkey));
}

std::unique_ptr<Cipher::KeyPair> OpensslCipher::generate_keypair() { return random_keypair(); }

std::unique_ptr<Cipher::KeyPair> OpensslCipher::import_keypair(std::string_view private_key) {
    if (private_key.size() != Secret32::size())
        throw Failure(codes::kInvalidPrivateKey, "private key must be 32 bytes, got " + std::to_string(private_key.size()));
    SecretBn scalar(BN_secure_new());
    if (!scalar || !BN_bin2bn(reinterpret_cast<const uint8_t *>(private_key.data()), static_cast<int>(private_key.size()),
                              scalar.get()))
        crypto_failure("loading the private scalar");
    if (BN_is_zero(scalar.get()) || BN_cmp(scalar.get(), EC_GROUP_get0_order(group_)) >= 0)
        throw Failure(codes::kInvalidPrivateKey, "private key is zero or not below the curve order");

    EcPoint pub(EC_POINT_new(group_));
    Point point;
    if (!pub || EC_POINT_mul(group_, pub.get(), scalar.get(), nullptr, nullptr, nullptr) != 1 ||
        EC_POINT_point2oct(group_, pub.get(), POINT_CONVERSION_UNCOMPRESSED, point.data(), point.size(), nullptr) !=
            point.size())
        crypto_failure("computing the public key");

    // OSSL_PARAM_construct_BN takes the scalar in native byte order; the buffer is wiped after use.
    Secret32 native;
    if (BN_bn2nativepad(scalar.get(), native.data(), static_cast<int>(native.size())) != static_cast<int>(native.size()))
        crypto_failure("encoding the private scalar");
    char group_name[] = "secp256k1";
    const OSSL_PARAM params[] = {
        OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, group_name, 0),
        OSSL_PARAM_construct_BN(OSSL_PKEY_PARAM_PRIV_KEY, native.data(), native.size()),
        OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY, point.data(), point.size()),
        OSSL_PARAM_construct_end(),
    };
    Pkey pkey = pkey_from_params(params, EVP_PKEY_KEYPAIR);
    if (!pkey) crypto_failure("building the key pair");
    return std::make_unique<OpensslKeyPair>(point, std::move(pkey));
}

bool OpensslCipher::decode_point(const uint8_t *sec1, size_t len, Point &uncompressed) const {
    EcPoint point(EC_POINT_new(group_));
    if (!point) crypto_failure("allocating a point");
    if (EC_POINT_oct2point(group_, point.get(), sec1, len, nullptr) != 1) return false;
    if (EC_POINT_is_on_curve(group_, point.get(), nullptr) != 1 || EC_POINT_is_at_infinity(group_, point.get()))
        return false;
    return EC_POINT_point2oct(group_, point.get(), POINT_CONVERSION_UNCOMPRESSED, uncompressed.data(),
                              uncompressed.size(), nullptr) == uncompressed.size();
}

bool OpensslCipher::shared_x(const EcKeyPair &own, const Point &peer, Secret32 &shared_x) const {
    const auto &mine = expect<OpensslKeyPair>(own);
    Point checked;
    if (!decode_point(peer.data(), peer.size(), checked)) return false;
    Point encoded = peer;
    char group_name[] = "secp256k1";
    const OSSL_PARAM params[] = {
        OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, group_name, 0),
        OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY, encoded.data(), encoded.size()),
        OSSL_PARAM_construct_end(),
    };
    Pkey peer_key = pkey_from_params(params, EVP_PKEY_PUBLIC_KEY);
    if (!peer_key) return false;
    PkeyCtx ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, mine.pkey(), nullptr));
    size_t len = shared_x.size();
    if (!ctx || EVP_PKEY_derive_init(ctx.get()) != 1 || EVP_PKEY_derive_set_peer_ex(ctx.get(), peer_key.get(), 0) != 1 ||
        EVP_PKEY_derive(ctx.get(), shared_x.data(), &len) != 1 || len != shared_x.size())
        crypto_failure("ECDH derive");
    return true;
}

}  // namespace vep::e2ee
