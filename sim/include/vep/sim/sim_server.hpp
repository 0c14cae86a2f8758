// venice-sim in-process: a local Venice upstream (models, TEE attestation, E2EE chat over SSE,
// scenarios and faults) on its own Poco HTTP server and thread pool. Owns the cipher plugin, the
// per-model key pairs, the runtime fault settings and the request log. Created by the venice-sim
// binary and by integration tests, which start it on 127.0.0.1 port 0 and stop it when done.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "vep/client.hpp"
#include "vep/sim/request_record.hpp"
#include "vep/sim/sim_options.hpp"

namespace vep::sim {

struct SimState;

class SimServer {
  public:
    // Loads the cipher plugin, generates one key pair per E2EE model and reads the scenario file.
    // Throws vep::Failure (code "sim_setup_failed" or the plugin's code) on any setup error.
    explicit SimServer(SimOptions options);
    ~SimServer();  // stops the server
    SimServer(const SimServer &) = delete;
    SimServer &operator=(const SimServer &) = delete;

    // Binds host:port and starts serving. Throws on bind failure or when already started.
    void start();
    // Aborts open streams and connections, waits for the worker threads. Idempotent.
    void stop();

    uint16_t port() const;         // the bound port (valid after start())
    std::string base_url() const;  // "http://HOST:PORT/api/v1" (https:// with a TLS certificate)

    // Snapshot of the request records (oldest first), the same data as GET /_sim/requests.
    std::vector<RequestRecord> requests() const;
    // Clears the records (POST /_sim/reset).
    void reset();
    // Applies a JSON object like POST /_sim/config: {"attestation_fault": "...", "models_fault":
    // "...", "attestation_shape": "aci"|"flat"}. Throws vep::Failure("invalid_sim_config", ...).
    void configure(std::string_view config_json);

    // The attested public key (130 hex) of an E2EE model; throws for unknown or non-E2EE models.
    std::string model_public_key(std::string_view model) const;
    // The loaded cipher plugin, for tests that encrypt and decrypt like a client would.
    std::shared_ptr<vep::client::CipherClient> cipher() const;

  private:
    std::unique_ptr<SimState> state_;
    struct Runtime;
    std::unique_ptr<Runtime> runtime_;
};

}  // namespace vep::sim
