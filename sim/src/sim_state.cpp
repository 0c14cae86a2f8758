#include "sim_state.hpp"

#include "vep/attestation/secp256k1_public_key.hpp"

namespace vep::sim {

SimState::SimState(SimOptions opts, std::shared_ptr<vep::client::CipherClient> cipher_client, ScenarioBook book)
    : options(std::move(opts)),
      cipher(std::move(cipher_client)),
      keys(*cipher, catalog),
      scenarios(std::move(book)),
      log(options.max_records) {
    decoy.key = cipher->generate();
    decoy.public_hex = decoy.key->public_hex();
    decoy.address = vep::attestation::ethereum_address(decoy.public_hex);
}

}  // namespace vep::sim
