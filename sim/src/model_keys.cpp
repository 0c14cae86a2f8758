#include "model_keys.hpp"

#include <openssl/rand.h>

#include "vep/attestation/eip191_signature.hpp"
#include "vep/attestation/secp256k1_public_key.hpp"
#include "vep/sdk.hpp"

namespace vep::sim {

ModelKeys::ModelKeys(const vep::client::CipherClient &cipher, const ModelCatalog &catalog) : cipher_(cipher) {
    for (const auto &m : catalog.models())
        if (m.e2ee) keys_.emplace(m.id, make_key(cipher));
}

std::shared_ptr<const ModelKey> ModelKeys::make_key(const vep::client::CipherClient &cipher) {
    auto k = std::make_shared<ModelKey>();
    std::string derived;
    for (int tries = 0; derived.empty(); ++tries) {
        if (tries == 8 || RAND_bytes(k->secret.data(), static_cast<int>(k->secret.size())) != 1)
            throw vep::Failure("sim_random_failed", "no valid secp256k1 private key could be drawn");
        try {
            derived = vep::attestation::secp256k1_public_key_of(k->secret);
        } catch (const vep::Failure &) {
            derived.clear();  // out of range (probability ~2^-128): draw again
        }
    }
    k->key = cipher.import(k->secret.data(), k->secret.size());
    k->public_hex = k->key->public_hex();
    if (k->public_hex != derived)
        throw vep::Failure("sim_key_mismatch", "the cipher plugin derived another public key from the imported key");
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
