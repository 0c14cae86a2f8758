// One secp256k1 key pair per E2EE model, generated when the simulator starts and imported into the
// cipher plugin, with its public key and Ethereum signing address; the simulator keeps the private
// key to sign the model's response records (EIP-191, GET /tee/signature) as Venice's enclave does
// with its signing key. Read by the attestation handler (publishes the key), the chat handler
// (decrypts request contents with it) and the signature handler. POST /_sim/rotate replaces a
// model's key (as Venice does when an enclave restarts): requests encrypted to the old key are
// refused from then on. Thread-safe; a handler keeps the key it looked up.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "model_catalog.hpp"
#include "vep/client.hpp"

namespace vep::sim {

struct ModelKey {
    std::shared_ptr<vep::client::CipherClient::Key> key;
    std::string public_hex;  // 130 lowercase hex
    std::string address;     // "0x" + 40 lowercase hex
    std::array<uint8_t, 32> secret{};  // the private key (signs EIP-191 records)
};

class ModelKeys {
  public:
    ModelKeys(const vep::client::CipherClient &cipher, const ModelCatalog &catalog);
    // nullptr for models without E2EE.
    std::shared_ptr<const ModelKey> find(std::string_view model) const;
    // A new key pair for `model`; false for models without E2EE.
    bool rotate(std::string_view model);
    // A fresh key pair (also the simulator's decoy key).
    static std::shared_ptr<const ModelKey> make_key(const vep::client::CipherClient &cipher);

  private:

    const vep::client::CipherClient &cipher_;
    mutable std::mutex mutex_;
    std::map<std::string, std::shared_ptr<const ModelKey>, std::less<>> keys_;
};

}  // namespace vep::sim
