// Everything one simulator instance shares between its request handlers: options, the cipher
// plugin, model keys, the receipt signer and the completions it can sign, scenarios, runtime
// faults, the request log and the stop flag. Built by
// SimServer; handlers get a reference for the server's lifetime.
#pragma once

#include <atomic>
#include <memory>

#include "model_catalog.hpp"
#include "model_keys.hpp"
#include "receipt_signer.hpp"
#include "request_log.hpp"
#include "runtime_settings.hpp"
#include "scenario.hpp"
#include "signed_exchanges.hpp"
#include "vep/client.hpp"
#include "vep/sim/sim_options.hpp"

namespace vep::sim {

struct SimState {
    SimState(SimOptions opts, std::shared_ptr<vep::client::CipherClient> cipher_client, ScenarioBook book);

    SimOptions options;
    std::shared_ptr<vep::client::CipherClient> cipher;
    ModelCatalog catalog;
    ModelKeys keys;
    ModelKey decoy;  // a key pair of no model, for wrong-key, address and wrong-signer faults
    ReceiptSigner receipts;             // the receipt key; signs /tee/signature records
    SignedExchanges signed_exchanges;   // completions whose records /tee/signature serves
    ScenarioBook scenarios;
    RuntimeSettings settings;
    RequestLog log;
    std::atomic<bool> stopping{false};
    std::atomic<uint64_t> completions{0};
    std::atomic<uint64_t> connections_accepted{0};
    std::atomic<uint64_t> tls_resumed_requests{0};
};

}  // namespace vep::sim
