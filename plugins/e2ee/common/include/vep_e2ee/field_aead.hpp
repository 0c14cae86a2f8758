// HKDF-SHA256 key derivation and AES-256-GCM sealing/opening of one field (OpenSSL 3).
//
// Owns the algorithm objects fetched once per cipher instance (AES-256-GCM, HKDF) and the info
// string, so the per-field path does no algorithm look-ups. Used by
// FieldCodec; safe to call from several threads at once (every call works on its own contexts).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "vep_e2ee/packed_payload.hpp"
#include "vep_e2ee/secret_bytes.hpp"

typedef struct evp_cipher_st EVP_CIPHER;
typedef struct evp_kdf_st EVP_KDF;

namespace vep::e2ee {

class FieldAead {
  public:
    // `hkdf_info` is the HKDF info string (no salt is used: RFC 5869 zero salt).
    explicit FieldAead(std::string_view hkdf_info);
    ~FieldAead();
    FieldAead(const FieldAead &) = delete;
    FieldAead &operator=(const FieldAead &) = delete;

    // key = HKDF-SHA256(ikm = shared_x, salt = none, info, 32 bytes).
    void derive_key(const Secret32 &shared_x, Secret32 &key) const;

    // Encrypts `plaintext` and appends hex(ciphertext || tag) to `out`.
    void seal_append_hex(const Secret32 &key, const Nonce &nonce, std::string_view plaintext, std::string &out) const;

    // Decrypts `len` bytes at `data` in place and checks `tag`. Returns false on a tag mismatch;
    // `data` then holds unauthenticated bytes the caller must wipe.
    bool open_in_place(const Secret32 &key, const Nonce &nonce, uint8_t *data, size_t len, const Tag &tag) const;

  private:
    EVP_CIPHER *gcm_ = nullptr;
    EVP_KDF *hkdf_ = nullptr;
    std::string info_;
};

}  // namespace vep::e2ee
