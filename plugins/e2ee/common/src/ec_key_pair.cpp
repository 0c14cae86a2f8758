#include "vep_e2ee/ec_key_pair.hpp"

#include <openssl/crypto.h>

namespace vep::e2ee {

bool EcKeyPair::cached_key(const void *codec, const Point &peer, Secret32 &key) const {
    std::lock_guard<std::mutex> lock(cache_mutex_);
    if (cached_codec_ == nullptr || cached_codec_ != codec) return false;
    if (CRYPTO_memcmp(cached_peer_.data(), peer.data(), peer.size()) != 0) return false;
    key = cached_key_;
    return true;
}

void EcKeyPair::remember_key(const void *codec, const Point &peer, const Secret32 &key) const {
    std::lock_guard<std::mutex> lock(cache_mutex_);
    cached_codec_ = codec;
    cached_peer_ = peer;
    cached_key_ = key;
}

}  // namespace vep::e2ee
