#include "vep_e2ee/field_aead.hpp"

#include <algorithm>
#include <limits>
#include <memory>
#include <string>

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/params.h>

#include "vep/sdk.hpp"
#include "vep_e2ee/failure_codes.hpp"
#include "vep_e2ee/hex.hpp"

namespace vep::e2ee {

namespace {

[[noreturn]] void crypto_failure(const char *what) {
    throw Failure(codes::kCryptoFailure, std::string("OpenSSL failure: ") + what);
}

struct CipherCtxFree {
    void operator()(EVP_CIPHER_CTX *c) const { EVP_CIPHER_CTX_free(c); }
};
using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, CipherCtxFree>;

struct KdfCtxFree {
    void operator()(EVP_KDF_CTX *c) const { EVP_KDF_CTX_free(c); }
};
using KdfCtx = std::unique_ptr<EVP_KDF_CTX, KdfCtxFree>;

// Plaintext is encrypted in blocks of this size so the ciphertext never needs a heap buffer.
constexpr size_t kSealBlock = 4096;

}  // namespace

FieldAead::FieldAead(std::string_view hkdf_info) : info_(hkdf_info) {
    gcm_ = EVP_CIPHER_fetch(nullptr, "AES-256-GCM", nullptr);
    hkdf_ = EVP_KDF_fetch(nullptr, "HKDF", nullptr);
    if (!gcm_ || !hkdf_) {
        EVP_KDF_free(hkdf_);
        EVP_CIPHER_free(gcm_);
        crypto_failure("AES-256-GCM or HKDF is not available");
    }
}

FieldAead::~FieldAead() {
    EVP_KDF_free(hkdf_);
    EVP_CIPHER_free(gcm_);
}

void FieldAead::derive_key(const Secret32 &shared_x, Secret32 &key) const {
    KdfCtx ctx(EVP_KDF_CTX_new(hkdf_));
    if (!ctx) crypto_failure("cannot create an HKDF context");
    char digest[] = "SHA256";
    const OSSL_PARAM params[] = {
        OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, digest, 0),
        OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY, const_cast<uint8_t *>(shared_x.data()), shared_x.size()),
        OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO, const_cast<char *>(info_.data()), info_.size()),
        OSSL_PARAM_construct_end(),
    };
    if (EVP_KDF_derive(ctx.get(), key.data(), key.size(), params) != 1) crypto_failure("HKDF-SHA256 derive");
}

void FieldAead::seal_append_hex(const Secret32 &key, const Nonce &nonce, std::string_view plaintext,
                                std::string &out) const {
    CipherCtx ctx(EVP_CIPHER_CTX_new());
    if (!ctx || EVP_EncryptInit_ex2(ctx.get(), gcm_, key.data(), nonce.data(), nullptr) != 1)
        crypto_failure("AES-256-GCM encrypt init");
    out.reserve(out.size() + 2 * (plaintext.size() + kTagSize));
    uint8_t block[kSealBlock];
    for (size_t offset = 0; offset < plaintext.size(); offset += kSealBlock) {
        const size_t n = std::min(kSealBlock, plaintext.size() - offset);
        int written = 0;
        if (EVP_EncryptUpdate(ctx.get(), block, &written, reinterpret_cast<const uint8_t *>(plaintext.data()) + offset,
                              static_cast<int>(n)) != 1)
            crypto_failure("AES-256-GCM encrypt");
        append_hex(out, block, static_cast<size_t>(written));
    }
    int written = 0;
    if (EVP_EncryptFinal_ex(ctx.get(), block, &written) != 1) crypto_failure("AES-256-GCM encrypt final");
    append_hex(out, block, static_cast<size_t>(written));
    Tag tag;
    if (EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, static_cast<int>(tag.size()), tag.data()) != 1)
        crypto_failure("AES-256-GCM tag");
    append_hex(out, tag.data(), tag.size());
}

bool FieldAead::open_in_place(const Secret32 &key, const Nonce &nonce, uint8_t *data, size_t len,
                              const Tag &tag) const {
    if (len > static_cast<size_t>(std::numeric_limits<int>::max())) return false;
    CipherCtx ctx(EVP_CIPHER_CTX_new());
    if (!ctx || EVP_DecryptInit_ex2(ctx.get(), gcm_, key.data(), nonce.data(), nullptr) != 1)
        crypto_failure("AES-256-GCM decrypt init");
    int written = 0;
    if (len > 0 && EVP_DecryptUpdate(ctx.get(), data, &written, data, static_cast<int>(len)) != 1)
        crypto_failure("AES-256-GCM decrypt");
    Tag expected = tag;
    if (EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, static_cast<int>(expected.size()), expected.data()) != 1)
        crypto_failure("AES-256-GCM set tag");
    uint8_t tail[16];
    int tail_len = 0;
    return EVP_DecryptFinal_ex(ctx.get(), tail, &tail_len) == 1;
}

}  // namespace vep::e2ee
