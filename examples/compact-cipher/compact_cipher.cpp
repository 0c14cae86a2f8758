// compact-cipher: the Venice E2EE field codec in one file on OpenSSL 3 — secp256k1 ECDH, HKDF-SHA256
// (zero salt, info from config) to an AES-256-GCM key, payload = hex(eph_pub(65) || nonce(12) ||
// ciphertext || tag(16)). Interoperable with the bundled e2ee-secp256k1 / e2ee-openssl backends
// (the test checks a vector they produce). Config (the host merges [e2ee] hkdf_info into it):
//   [plugin_config.compact-cipher]   # nothing else to set
// Select it with [e2ee] backend = "compact-cipher".
#include <array>
#include <memory>
#include <string>
#include <vector>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/obj_mac.h>
#include <openssl/params.h>
#include <openssl/rand.h>

#include <vep/hex.hpp>
#include <vep/plugin.hpp>

namespace {

constexpr size_t kPointSize = 65;
constexpr size_t kNonceSize = 12;
constexpr size_t kTagSize = 16;
constexpr size_t kKeySize = 32;
constexpr size_t kMaxPayloadHex = 64u << 20;

using Point = std::array<uint8_t, kPointSize>;

template <typename T, void (*Free)(T *)>
struct Deleter {
    void operator()(T *p) const { Free(p); }
};
using Pkey = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY, EVP_PKEY_free>>;
using PkeyCtx = std::unique_ptr<EVP_PKEY_CTX, Deleter<EVP_PKEY_CTX, EVP_PKEY_CTX_free>>;
using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, Deleter<EVP_CIPHER_CTX, EVP_CIPHER_CTX_free>>;
using Group = std::unique_ptr<EC_GROUP, Deleter<EC_GROUP, EC_GROUP_free>>;
using EcPoint = std::unique_ptr<EC_POINT, Deleter<EC_POINT, EC_POINT_free>>;
using Bn = std::unique_ptr<BIGNUM, Deleter<BIGNUM, BN_clear_free>>;

// Key material on the stack, wiped when it goes out of scope.
struct Secret {
    std::array<uint8_t, kKeySize> bytes{};
    ~Secret() { OPENSSL_cleanse(bytes.data(), bytes.size()); }
};

[[noreturn]] void fail(const char *code, const std::string &message) { throw vep::Failure(code, message); }
[[noreturn]] void crypto_failure(const char *what) { fail("e2ee_crypto_failure", std::string("OpenSSL: ") + what); }

class CompactKeyPair final : public vep::Cipher::KeyPair {
  public:
    CompactKeyPair(Pkey pkey, const Point &point) : pkey_(std::move(pkey)), point_(point) {}
    EVP_PKEY *pkey() const { return pkey_.get(); }
    const Point &point() const { return point_; }

  private:
    Pkey pkey_;  // EVP_PKEY_free clears the private scalar
    Point point_;
};

class CompactCipher final : public vep::Cipher {
  public:
    explicit CompactCipher(const vep::json::Value &config) : group_(EC_GROUP_new_by_curve_name(NID_secp256k1)) {
        for (const auto &member : config.as_object()) {
            if (member.first != "hkdf_info" || !member.second.is_string() || member.second.as_string().empty())
                fail("invalid_config", "compact-cipher: only a non-empty string hkdf_info is accepted");
            info_ = member.second.as_string();
        }
        if (!group_) crypto_failure("secp256k1 is not available");
    }

    std::unique_ptr<KeyPair> generate_keypair() override {
        Pkey pkey(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "secp256k1"));
        Point point;
        size_t len = 0;
        if (!pkey || EVP_PKEY_get_octet_string_param(pkey.get(), OSSL_PKEY_PARAM_PUB_KEY, point.data(), point.size(),
                                                     &len) != 1 || len != kPointSize)
            crypto_failure("key generation");
        return std::make_unique<CompactKeyPair>(std::move(pkey), point);
    }

    std::unique_ptr<KeyPair> import_keypair(std::string_view private_key) override {
        if (private_key.size() != kKeySize) fail("e2ee_invalid_private_key", "private key must be 32 bytes");
        Bn scalar(BN_secure_new());
        if (!scalar || !BN_bin2bn(reinterpret_cast<const uint8_t *>(private_key.data()), kKeySize, scalar.get()))
            crypto_failure("loading the private key");
        if (BN_is_zero(scalar.get()) || BN_cmp(scalar.get(), EC_GROUP_get0_order(group_.get())) >= 0)
            fail("e2ee_invalid_private_key", "private key is zero or not below the curve order");
        EcPoint pub(EC_POINT_new(group_.get()));
        Point point;
        if (!pub || EC_POINT_mul(group_.get(), pub.get(), scalar.get(), nullptr, nullptr, nullptr) != 1 ||
            EC_POINT_point2oct(group_.get(), pub.get(), POINT_CONVERSION_UNCOMPRESSED, point.data(), kPointSize,
                               nullptr) != kPointSize)
            crypto_failure("computing the public key");
        Secret native;
        if (BN_bn2nativepad(scalar.get(), native.bytes.data(), kKeySize) != static_cast<int>(kKeySize))
            crypto_failure("encoding the private key");
        char group_name[] = "secp256k1";
        const OSSL_PARAM params[] = {
            OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, group_name, 0),
            OSSL_PARAM_construct_BN(OSSL_PKEY_PARAM_PRIV_KEY, native.bytes.data(), kKeySize),
            OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY, point.data(), kPointSize),
            OSSL_PARAM_construct_end(),
        };
        return std::make_unique<CompactKeyPair>(pkey_from(params, EVP_PKEY_KEYPAIR), point);
    }

    std::string public_hex(const KeyPair &keypair) override {
        const Point &point = static_cast<const CompactKeyPair &>(keypair).point();
        return vep::hex::encode(point.data(), point.size());
    }

    // 130 hex (04...), 128 hex (x||y) or 66 hex (compressed), optional 0x → 130 lowercase hex.
    std::string normalize_public_key(std::string_view key) override {
        const Point point = decode_public_key(key);
        return vep::hex::encode(point.data(), point.size());
    }

    void encrypt(std::string_view peer_public_hex, std::string_view plaintext, const KeyPair *ephemeral,
                 const uint8_t *nonce, std::string &out) override {
        if (plaintext.size() > kMaxPayloadHex / 2) fail("e2ee_too_long", "plaintext is larger than 32 MiB");
        const Point peer = decode_public_key(peer_public_hex);
        std::unique_ptr<KeyPair> fresh;
        if (!ephemeral) fresh = generate_keypair();
        const auto &eph = static_cast<const CompactKeyPair &>(ephemeral ? *ephemeral : *fresh);
        std::array<uint8_t, kNonceSize> iv{};
        if (nonce) std::copy(nonce, nonce + kNonceSize, iv.begin());
        else if (RAND_bytes(iv.data(), kNonceSize) != 1) crypto_failure("random nonce");
        Secret key;
        derive_key(eph, peer, key);

        std::string sealed(plaintext.size() + kTagSize, '\0');
        auto *bytes = reinterpret_cast<uint8_t *>(sealed.data());
        CipherCtx ctx(EVP_CIPHER_CTX_new());
        int written = 0, final_written = 0;
        if (!ctx || EVP_EncryptInit_ex2(ctx.get(), EVP_aes_256_gcm(), key.bytes.data(), iv.data(), nullptr) != 1 ||
            EVP_EncryptUpdate(ctx.get(), bytes, &written, reinterpret_cast<const uint8_t *>(plaintext.data()),
                              static_cast<int>(plaintext.size())) != 1 ||
            EVP_EncryptFinal_ex(ctx.get(), bytes + written, &final_written) != 1 ||
            EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, kTagSize, bytes + plaintext.size()) != 1)
            crypto_failure("AES-256-GCM encryption");
        vep::hex::append(out, eph.point().data(), kPointSize);
        vep::hex::append(out, iv.data(), kNonceSize);
        vep::hex::append(out, bytes, sealed.size());
    }

    void decrypt(const KeyPair &keypair, std::string_view payload_hex, std::string &out) override {
        if (payload_hex.empty()) fail("e2ee_empty_payload", "empty payload");
        if (payload_hex.size() > kMaxPayloadHex) fail("e2ee_too_long", "payload is larger than 64 MiB of hex");
        const auto payload = vep::hex::decode(payload_hex);
        if (!payload) fail("e2ee_not_hex", "payload is not an even number of hex digits");
        if (payload->size() < kPointSize + kNonceSize + kTagSize) fail("e2ee_too_short", "payload is too short");
        const uint8_t *bytes = payload->data();
        Point eph;
        std::copy(bytes, bytes + kPointSize, eph.begin());
        if (eph[0] != 0x04) fail("e2ee_bad_point_prefix", "ephemeral key is not an uncompressed point");
        if (!on_curve(eph.data(), kPointSize)) fail("e2ee_point_not_on_curve", "ephemeral key is not on secp256k1");
        Secret key;
        derive_key(static_cast<const CompactKeyPair &>(keypair), eph, key);

        const uint8_t *iv = bytes + kPointSize;
        const uint8_t *ciphertext = iv + kNonceSize;
        const size_t ciphertext_len = payload->size() - kPointSize - kNonceSize - kTagSize;
        std::string plain(ciphertext_len, '\0');
        CipherCtx ctx(EVP_CIPHER_CTX_new());
        int written = 0, final_written = 0;
        if (!ctx || EVP_DecryptInit_ex2(ctx.get(), EVP_aes_256_gcm(), key.bytes.data(), iv, nullptr) != 1 ||
            EVP_DecryptUpdate(ctx.get(), reinterpret_cast<uint8_t *>(plain.data()), &written, ciphertext,
                              static_cast<int>(ciphertext_len)) != 1 ||
            EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, kTagSize,
                                const_cast<uint8_t *>(ciphertext + ciphertext_len)) != 1)
            crypto_failure("AES-256-GCM decryption");
        const bool authentic =
            EVP_DecryptFinal_ex(ctx.get(), reinterpret_cast<uint8_t *>(plain.data()) + written, &final_written) == 1;
        if (!authentic) {
            OPENSSL_cleanse(plain.data(), plain.size());
            fail("e2ee_tag_mismatch", "authentication tag mismatch (wrong key or tampered payload)");
        }
        if (!vep::json::is_valid_utf8(plain)) {
            OPENSSL_cleanse(plain.data(), plain.size());
            fail("e2ee_invalid_utf8", "decrypted field is not UTF-8");
        }
        out += plain;
        OPENSSL_cleanse(plain.data(), plain.size());
    }

  private:
    Pkey pkey_from(const OSSL_PARAM *params, int selection) const {
        PkeyCtx ctx(EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr));
        EVP_PKEY *raw = nullptr;
        if (!ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
            EVP_PKEY_fromdata(ctx.get(), &raw, selection, const_cast<OSSL_PARAM *>(params)) != 1)
            crypto_failure("building a key");
        return Pkey(raw);
    }

    bool on_curve(const uint8_t *sec1, size_t len, Point *uncompressed = nullptr) const {
        EcPoint point(EC_POINT_new(group_.get()));
        if (!point) crypto_failure("allocating a point");
        if (EC_POINT_oct2point(group_.get(), point.get(), sec1, len, nullptr) != 1 ||
            EC_POINT_is_on_curve(group_.get(), point.get(), nullptr) != 1 ||
            EC_POINT_is_at_infinity(group_.get(), point.get()))
            return false;
        return !uncompressed || EC_POINT_point2oct(group_.get(), point.get(), POINT_CONVERSION_UNCOMPRESSED,
                                                   uncompressed->data(), kPointSize, nullptr) == kPointSize;
    }

    Point decode_public_key(std::string_view text) const {
        text = vep::hex::strip_0x(text);
        const bool known_size = text.size() == 130 || text.size() == 128 || text.size() == 66;
        const auto decoded = known_size ? vep::hex::decode(text) : std::nullopt;
        if (!decoded) fail("e2ee_invalid_public_key", "invalid public key: expected 130, 128 or 66 hex characters");
        std::vector<uint8_t> raw;
        if (text.size() == 128) raw.push_back(0x04);
        raw.insert(raw.end(), decoded->begin(), decoded->end());
        Point point;
        if (!on_curve(raw.data(), raw.size(), &point))
            fail("e2ee_invalid_public_key", "invalid public key: not a point on secp256k1");
        return point;
    }

    // ECDH x-coordinate → HKDF-SHA256(salt = 32 zero bytes, info) → 32-byte AES key.
    void derive_key(const CompactKeyPair &own, const Point &peer, Secret &key) const {
        char group_name[] = "secp256k1";
        Point encoded = peer;
        const OSSL_PARAM params[] = {
            OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, group_name, 0),
            OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY, encoded.data(), kPointSize),
            OSSL_PARAM_construct_end(),
        };
        const Pkey peer_key = pkey_from(params, EVP_PKEY_PUBLIC_KEY);
        Secret shared;
        size_t len = shared.bytes.size();
        PkeyCtx ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, own.pkey(), nullptr));
        if (!ctx || EVP_PKEY_derive_init(ctx.get()) != 1 || EVP_PKEY_derive_set_peer_ex(ctx.get(), peer_key.get(), 0) != 1 ||
            EVP_PKEY_derive(ctx.get(), shared.bytes.data(), &len) != 1 || len != kKeySize)
            crypto_failure("ECDH");

        EVP_KDF *kdf = EVP_KDF_fetch(nullptr, "HKDF", nullptr);
        EVP_KDF_CTX *kctx = kdf ? EVP_KDF_CTX_new(kdf) : nullptr;
        EVP_KDF_free(kdf);
        char digest[] = "SHA256";
        std::array<uint8_t, kKeySize> zero_salt{};
        const OSSL_PARAM kdf_params[] = {
            OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, digest, 0),
            OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY, shared.bytes.data(), kKeySize),
            OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT, zero_salt.data(), zero_salt.size()),
            OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO, const_cast<char *>(info_.data()), info_.size()),
            OSSL_PARAM_construct_end(),
        };
        const bool derived = kctx && EVP_KDF_derive(kctx, key.bytes.data(), kKeySize, kdf_params) == 1;
        EVP_KDF_CTX_free(kctx);
        if (!derived) crypto_failure("HKDF-SHA256");
    }

    Group group_;
    std::string info_ = "ecdsa_encryption";
};

}  // namespace

VEP_PLUGIN(CompactCipher, "compact-cipher", "1.0.0", "Venice E2EE field codec in one file on OpenSSL 3 (example)")
