#include "model_keys.hpp"

#include "vep/attestation/secp256k1_public_key.hpp"

namespace vep::sim {

ModelKeys::ModelKeys(const vep::client::CipherClient &cipher, const ModelCatalog &catalog) : cipher_(cipher) {
    for (const auto &m : catalog.models())
        if (m.e2ee) keys_.emplace(m.id, make_key(cipher));
}

std::shared_ptr<const ModelKey> ModelKeys::make_key(const vep::client::CipherClient &cipher) {
    auto k = std::make_shared<ModelKey>();
    k->key = cipher.generate();
    k->public_hex = k->key->public_hex();
    k->address = vep::attestation::ethereum_address(k->public_hex);
    return k;
}

std::shared_ptr<const ModelKey> ModelKeys::find(std::string_view model) const {
    std::lock_guard lock(mutex_);
    const auto it = keys_.find(model);
    return it == keys_.end() ? nullptr : it->second;
}

bool ModelKeys::rotate(std::string_view model) {
    auto fresh = make_key(cipher_);
    std::lock_guard lock(mutex_);
    const auto it = keys_.find(model);
    if (it == keys_.end()) return false;
    it->second = std::move(fresh);
    return true;
}

}  // namespace vep::sim
