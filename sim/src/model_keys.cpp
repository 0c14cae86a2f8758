#include "model_keys.hpp"

#include "vep/attestation/secp256k1_public_key.hpp"

namespace vep::sim {

ModelKeys::ModelKeys(const vep::client::CipherClient &cipher, const ModelCatalog &catalog) {
    for (const auto &m : catalog.models()) {
        if (!m.e2ee) continue;
        ModelKey k;
        k.key = cipher.generate();
        k.public_hex = k.key->public_hex();
        k.address = vep::attestation::ethereum_address(k.public_hex);
        keys_.emplace(m.id, std::move(k));
    }
}

const ModelKey *ModelKeys::find(std::string_view model) const {
    const auto it = keys_.find(model);
    return it == keys_.end() ? nullptr : &it->second;
}

}  // namespace vep::sim
