#include "vep_e2ee/field_aead.hpp"

#include <algorithm>
#include <limits>
#include <memory>
#include <string>

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include "vep/hex.hpp"
#include "vep/sdk.hpp"
#include "vep_e2ee/failure_codes.hpp"

namespace vep::e2ee {

namespace {

[[noreturn]] void crypto_failure(const char *what) {
    throw Failure(codes::kCryptoFailure, std::string("OpenSSL failure: ") + what);
}

struct CipherCtxFree {
    void operator()(EVP_CIPHER_CTX *c) const { EVP_CIPHER_CTX_free(c); }
};
using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, CipherCtxFree>;

// A MAC context; freeing it also wipes the HMAC key state (OpenSSL cleanses HMAC contexts).
struct MacCtxFree {
    void operator()(EVP_MAC_CTX *c) const { EVP_MAC_CTX_free(c); }
};
using MacCtx = std::unique_ptr<EVP_MAC_CTX, MacCtxFree>;

// Plaintext is encrypted in blocks of this size so the ciphertext never needs a heap buffer.
constexpr size_t kSealBlock = 4096;

}  // namespace

FieldAead::FieldAead(std::string_view hkdf_info) : info_block_(hkdf_info) {
    info_block_.push_back('\x01');
    gcm_ = EVP_CIPHER_fetch(nullptr, "AES-256-GCM", nullptr);
    EVP_MAC *hmac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
    if (hmac) {
        extract_template_ = EVP_MAC_CTX_new(hmac);
        expand_template_ = EVP_MAC_CTX_new(hmac);
        EVP_MAC_free(hmac);
    }
    char digest[] = "SHA256";
    const OSSL_PARAM params[] = {
        OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
        OSSL_PARAM_construct_end(),
    };
    const Secret32 zero_salt;
    if (!gcm_ || !extract_template_ || !expand_template_ ||
        EVP_MAC_init(extract_template_, zero_salt.data(), zero_salt.size(), params) != 1 ||
        EVP_MAC_CTX_set_params(expand_template_, params) != 1) {
        EVP_MAC_CTX_free(expand_template_);
        EVP_MAC_CTX_free(extract_template_);
        EVP_CIPHER_free(gcm_);
        crypto_failure("AES-256-GCM or HMAC-SHA256 is not available");
    }
}

FieldAead::~FieldAead() {
    EVP_MAC_CTX_free(expand_template_);
    EVP_MAC_CTX_free(extract_template_);
    EVP_CIPHER_free(gcm_);
}

void FieldAead::derive_key(const Secret32 &shared_x, Secret32 &key) const {
    Secret32 prk;
    size_t len = 0;
    MacCtx extract(EVP_MAC_CTX_dup(extract_template_));
    if (!extract || EVP_MAC_update(extract.get(), shared_x.data(), shared_x.size()) != 1 ||
        EVP_MAC_final(extract.get(), prk.data(), &len, prk.size()) != 1 || len != prk.size())
        crypto_failure("HKDF-SHA256 extract");
    MacCtx expand(EVP_MAC_CTX_dup(expand_template_));
    if (!expand || EVP_MAC_init(expand.get(), prk.data(), prk.size(), nullptr) != 1 ||
        EVP_MAC_update(expand.get(), reinterpret_cast<const uint8_t *>(info_block_.data()), info_block_.size()) != 1 ||
        EVP_MAC_final(expand.get(), key.data(), &len, key.size()) != 1 || len != key.size())
        crypto_failure("HKDF-SHA256 expand");
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
        hex::append(out, block, static_cast<size_t>(written));
    }
    int written = 0;
    if (EVP_EncryptFinal_ex(ctx.get(), block, &written) != 1) crypto_failure("AES-256-GCM encrypt final");
    hex::append(out, block, static_cast<size_t>(written));
    Tag tag;
    if (EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, static_cast<int>(tag.size()), tag.data()) != 1)
        crypto_failure("AES-256-GCM tag");
    hex::append(out, tag.data(), tag.size());
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
