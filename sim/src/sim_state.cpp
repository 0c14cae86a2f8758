#include "sim_state.hpp"

namespace vep::sim {

SimState::SimState(SimOptions opts, std::shared_ptr<vep::client::CipherClient> cipher_client, ScenarioBook book)
    : options(std::move(opts)),
      cipher(std::move(cipher_client)),
      keys(*cipher, catalog),
      scenarios(std::move(book)),
      log(options.max_records) {
    decoy = *ModelKeys::make_key(*cipher);
}

}  // namespace vep::sim
