// HKDF-SHA256 key derivation and AES-256-GCM sealing/opening of one field (OpenSSL 3).
//
// Owns the algorithm objects prepared once per cipher instance (AES-256-GCM, HMAC-SHA256
// contexts for the HKDF steps) so the per-field path does no algorithm look-ups or key set-up
// for the constant salt. Used by
// FieldCodec; safe to call from several threads at once (every call works on its own contexts).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "vep_e2ee/packed_payload.hpp"
#include "vep_e2ee/secret_bytes.hpp"

typedef struct evp_cipher_st EVP_CIPHER;
typedef struct evp_mac_ctx_st EVP_MAC_CTX;

namespace vep::e2ee {

class FieldAead {
  public:
    // `hkdf_info` is the HKDF info string (no salt is used: RFC 5869 zero salt).
    explicit FieldAead(std::string_view hkdf_info);
    ~FieldAead();
    FieldAead(const FieldAead &) = delete;
    FieldAead &operator=(const FieldAead &) = delete;

    // key = HKDF-SHA256(ikm = shared_x, salt = none, info, 32 bytes). RFC 5869 with L = HashLen:
    // PRK = HMAC(0^32, IKM), OKM = HMAC(PRK, info || 0x01). Equal to OpenSSL's EVP_KDF "HKDF"
    // (checked by field_aead_test), about twice as fast because the salt key is set up once.
    void derive_key(const Secret32 &shared_x, Secret32 &key) const;

    // Encrypts `plaintext` and appends hex(ciphertext || tag) to `out`.
    void seal_append_hex(const Secret32 &key, const Nonce &nonce, std::string_view plaintext, std::string &out) const;

    // Decrypts `len` bytes at `data` in place and checks `tag`. Returns false on a tag mismatch;
    // `data` then holds unauthenticated bytes the caller must wipe.
    bool open_in_place(const Secret32 &key, const Nonce &nonce, uint8_t *data, size_t len, const Tag &tag) const;

  private:
    EVP_CIPHER *gcm_ = nullptr;
    EVP_MAC_CTX *extract_template_ = nullptr;  // HMAC-SHA256 keyed with the zero salt
    EVP_MAC_CTX *expand_template_ = nullptr;   // HMAC-SHA256, digest set, not yet keyed
    std::string info_block_;                   // info || 0x01, the single expand block
};

}  // namespace vep::e2ee
