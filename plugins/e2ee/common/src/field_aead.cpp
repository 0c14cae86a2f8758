#include "vep_e2ee/field_aead.hpp"

#include <algorithm>
#include <limits>
#include <memory>
#include <string>

#include <openssl/evp.h>

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

// A digest context; freeing it also wipes the hash state (OpenSSL's SHA-256 clears its context
// on free), which holds key material inside HMAC.
struct MdCtxFree {
    void operator()(EVP_MD_CTX *c) const { EVP_MD_CTX_free(c); }
};
using MdCtx = std::unique_ptr<EVP_MD_CTX, MdCtxFree>;

constexpr size_t kShaBlock = 64;
constexpr uint8_t kInnerPad = 0x36;
constexpr uint8_t kOuterPad = 0x5c;

// The HMAC-SHA256 key block of a 32-byte key, xored with `pad`.
SecretBytes<kShaBlock> key_block(const uint8_t *key, size_t len, uint8_t pad) {
    SecretBytes<kShaBlock> block;
    for (size_t i = 0; i < kShaBlock; ++i) block.data()[i] = static_cast<uint8_t>((i < len ? key[i] : 0) ^ pad);
    return block;
}

// ctx = SHA-256 started from `from` (or from scratch with `md`), then fed `a` and `b`; `out` its
// digest.
void digest_into(EVP_MD_CTX *ctx, const EVP_MD_CTX *from, const EVP_MD *md, const uint8_t *a, size_t a_len,
                 const uint8_t *b, size_t b_len, uint8_t *out) {
    unsigned int len = 0;
    const bool started =
        from != nullptr ? EVP_MD_CTX_copy_ex(ctx, from) == 1 : EVP_DigestInit_ex2(ctx, md, nullptr) == 1;
    if (!started || EVP_DigestUpdate(ctx, a, a_len) != 1 || (b_len > 0 && EVP_DigestUpdate(ctx, b, b_len) != 1) ||
        EVP_DigestFinal_ex(ctx, out, &len) != 1 || len != 32)
        crypto_failure("HKDF-SHA256");
}

// Plaintext is encrypted in blocks of this size so the ciphertext never needs a heap buffer.
constexpr size_t kSealBlock = 4096;

}  // namespace

FieldAead::FieldAead(std::string_view hkdf_info) : info_block_(hkdf_info) {
    info_block_.push_back('\x01');
    gcm_ = EVP_CIPHER_fetch(nullptr, "AES-256-GCM", nullptr);
    sha256_ = EVP_MD_fetch(nullptr, "SHA256", nullptr);
    salt_inner_ = EVP_MD_CTX_new();
    salt_outer_ = EVP_MD_CTX_new();
    const uint8_t zero_salt[32] = {};
    const auto inner = key_block(zero_salt, sizeof zero_salt, kInnerPad);
    const auto outer = key_block(zero_salt, sizeof zero_salt, kOuterPad);
    if (!gcm_ || !sha256_ || !salt_inner_ || !salt_outer_ || EVP_DigestInit_ex2(salt_inner_, sha256_, nullptr) != 1 ||
        EVP_DigestUpdate(salt_inner_, inner.data(), kShaBlock) != 1 ||
        EVP_DigestInit_ex2(salt_outer_, sha256_, nullptr) != 1 ||
        EVP_DigestUpdate(salt_outer_, outer.data(), kShaBlock) != 1) {
        EVP_MD_CTX_free(salt_outer_);
        EVP_MD_CTX_free(salt_inner_);
        EVP_MD_free(sha256_);
        EVP_CIPHER_free(gcm_);
        crypto_failure("AES-256-GCM or SHA-256 is not available");
    }
}

FieldAead::~FieldAead() {
    EVP_MD_CTX_free(salt_outer_);
    EVP_MD_CTX_free(salt_inner_);
    EVP_MD_free(sha256_);
    EVP_CIPHER_free(gcm_);
}

void FieldAead::derive_key(const Secret32 &shared_x, Secret32 &key) const {
    MdCtx ctx(EVP_MD_CTX_new());
    if (!ctx) crypto_failure("HKDF-SHA256");
    Secret32 inner;
    Secret32 prk;
    // Extract: PRK = HMAC(zero salt, shared_x), from the salt's pads absorbed once.
    digest_into(ctx.get(), salt_inner_, nullptr, shared_x.data(), shared_x.size(), nullptr, 0, inner.data());
    digest_into(ctx.get(), salt_outer_, nullptr, inner.data(), inner.size(), nullptr, 0, prk.data());
    // Expand (one block): key = HMAC(PRK, info || 0x01).
    const auto inner_block = key_block(prk.data(), prk.size(), kInnerPad);
    digest_into(ctx.get(), nullptr, sha256_, inner_block.data(), kShaBlock,
                reinterpret_cast<const uint8_t *>(info_block_.data()), info_block_.size(), inner.data());
    const auto outer_block = key_block(prk.data(), prk.size(), kOuterPad);
    digest_into(ctx.get(), nullptr, sha256_, outer_block.data(), kShaBlock, inner.data(), inner.size(), key.data());
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
