// HKDF-SHA256 key derivation and AES-256-GCM sealing/opening of one field (OpenSSL 3).
//
// Owns the algorithm objects prepared once per cipher instance (AES-256-GCM, SHA-256, and the
// SHA-256 states with the zero salt's HMAC pads absorbed) so the per-field path does no
// algorithm look-ups and no key set-up for the constant salt. Used by
// FieldCodec; safe to call from several threads at once (every call works on its own contexts).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "vep_e2ee/packed_payload.hpp"
#include "vep_e2ee/secret_bytes.hpp"

typedef struct evp_cipher_st EVP_CIPHER;
typedef struct evp_md_st EVP_MD;
typedef struct evp_md_ctx_st EVP_MD_CTX;

namespace vep::e2ee {

class FieldAead {
  public:
    // `hkdf_info` is the HKDF info string (no salt is used: RFC 5869 zero salt).
    explicit FieldAead(std::string_view hkdf_info);
    ~FieldAead();
    FieldAead(const FieldAead &) = delete;
    FieldAead &operator=(const FieldAead &) = delete;

    // key = HKDF-SHA256(ikm = shared_x, salt = none, info, 32 bytes). RFC 5869 with L = HashLen:
    // PRK = HMAC(0^32, IKM), OKM = HMAC(PRK, info || 0x01), each HMAC (RFC 2104) computed with
    // SHA-256 digests directly: H((K ^ opad) || H((K ^ ipad) || m)). Equal to OpenSSL's EVP_KDF
    // "HKDF" (checked by field_aead_test) at about a quarter of the cost of EVP_MAC's HMAC.
    void derive_key(const Secret32 &shared_x, Secret32 &key) const;

    // Encrypts `plaintext` and appends hex(ciphertext || tag) to `out`.
    void seal_append_hex(const Secret32 &key, const Nonce &nonce, std::string_view plaintext, std::string &out) const;

    // Decrypts `len` bytes at `data` in place and checks `tag`. Returns false on a tag mismatch;
    // `data` then holds unauthenticated bytes the caller must wipe.
    bool open_in_place(const Secret32 &key, const Nonce &nonce, uint8_t *data, size_t len, const Tag &tag) const;

  private:
    EVP_CIPHER *gcm_ = nullptr;
    EVP_MD *sha256_ = nullptr;
    EVP_MD_CTX *salt_inner_ = nullptr;  // SHA-256 after (zero salt ^ ipad): HMAC's inner start
    EVP_MD_CTX *salt_outer_ = nullptr;  // SHA-256 after (zero salt ^ opad): HMAC's outer start
    std::string info_block_;            // info || 0x01, the single expand block
};

}  // namespace vep::e2ee
