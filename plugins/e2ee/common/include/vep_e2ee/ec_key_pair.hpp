// The key-pair handle every e2ee backend hands to the host, plus its derived-key cache.
//
// Owns: the 65-byte uncompressed public point and, for a reused ephemeral key (config
// e2ee.ephemeral_key_per = "request"), the AES key derived for the last peer it encrypted to, so
// later fields to the same peer skip the ECDH. Backends derive from it and add the private
// scalar. The cache is guarded by a mutex, so a handle may be shared between threads; the cached
// key is wiped on replacement and on destruction.
#pragma once

#include <mutex>

#include "vep/sdk.hpp"
#include "vep_e2ee/packed_payload.hpp"
#include "vep_e2ee/secret_bytes.hpp"

namespace vep::e2ee {

class EcKeyPair : public Cipher::KeyPair {
  public:
    explicit EcKeyPair(const Point &public_point) : public_point_(public_point) {}
    const Point &public_point() const { return public_point_; }

    // Copies the cached key into `key` when the cache holds one derived by `codec` for `peer`.
    bool cached_key(const void *codec, const Point &peer, Secret32 &key) const;
    // Replaces the cached key with the one derived by `codec` for `peer`.
    void remember_key(const void *codec, const Point &peer, const Secret32 &key) const;

  private:
    const Point public_point_;
    mutable std::mutex cache_mutex_;
    mutable const void *cached_codec_ = nullptr;
    mutable Point cached_peer_{};
    mutable Secret32 cached_key_;
};

}  // namespace vep::e2ee
