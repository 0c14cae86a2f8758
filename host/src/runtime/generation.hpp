// Generation: one loaded configuration and everything built from it — the plugin libraries, the
// cipher and its proxy instance key, tool formats, the attestation service and its verifiers, the
// receipt service,
// Venice client, the client keys, the TLS listener's identity, the session store, the models cache and the handler chain (its stages get what
// they use through StageServices). Built once (start-up, and each reload),
// immutable afterwards except for the thread-safe stores inside, and shared by every request that
// started under it (shared_ptr), so a reload swaps in a new generation while open streams finish
// on the old one and its plugins stay loaded until their last user ends.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "attestation/attestation_service.hpp"
#include "auth/client_keys.hpp"
#include "attestation/audit_log.hpp"
#include "attestation/receipt_service.hpp"
#include "chain/chain.hpp"
#include "chain/stage_registry.hpp"
#include "chain/stage_services.hpp"
#include "config/config.hpp"
#include "limits/concurrency_gate.hpp"
#include "plugin/plugin_set.hpp"
#include "runtime/models_cache.hpp"
#include "session/session_store.hpp"
#include "stats/proxy_stats.hpp"
#include "tls/server_identity.hpp"
#include "upstream/venice_client.hpp"
#include "vep/client.hpp"

namespace vep::host {

// A start-up or reload failure; what() says which setting or plugin and why.
class GenerationError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

// Serve: everything, the Venice client included. Check: everything except the Venice client
// (check-config must work before the API key is set).
enum class GenerationPurpose { Serve, Check };

class Generation {
  public:
    // Builds everything; throws GenerationError (plugin load failures, plugin config rejected,
    // unknown, missing or misordered chain stage, missing API key, ...). `stats` (may be null; it
    // outlives the generation) receives the counts of the parts built here: attestation rounds,
    // session evictions, upstream connection set-up.
    static std::shared_ptr<const Generation> build(Config config, const PluginLoader &loader,
                                                   std::shared_ptr<ConcurrencyGate> gate,
                                                   GenerationPurpose purpose = GenerationPurpose::Serve,
                                                   ProxyStats *stats = nullptr);

    const Config &config() const { return config_; }
    const PluginSet &plugins() const { return plugins_; }
    const vep::client::CipherClient &cipher() const { return *cipher_; }
    // The process-scope client key pair; null when keys.generate_proxy_instance_key_on_startup is false.
    const std::shared_ptr<const vep::client::CipherClient::Key> &instance_key() const { return instance_key_; }
    const AttestationService &attestation() const { return *attestation_; }
    // Checks answers' signed receipts (attestation.receipts).
    ReceiptService &receipts() const { return *receipts_; }
    // The client keys (auth.keys_file); null when client authentication is off.
    const ClientKeySet *client_keys() const { return client_keys_.get(); }
    // The TLS listener's certificate, key and client CAs (server.tls_*); null without TLS.
    const std::shared_ptr<const ServerIdentity> &server_identity() const { return server_identity_; }
    const VeniceClient &venice() const { return *venice_; }
    SessionStore &sessions() const { return *sessions_; }
    ModelsCache &models_cache() const { return *models_cache_; }
    // The GET /v1/models body before any per-caller narrowing: Venice's attested E2EE text models
    // and the [aliases] that stand for them, through the models cache. Throws ProxyError.
    std::string model_list() const;
    const Chain &chain() const { return chain_; }

  private:
    Generation() = default;

    Config config_;
    PluginSet plugins_;
    std::shared_ptr<vep::client::CipherClient> cipher_;
    std::shared_ptr<const vep::client::CipherClient::Key> instance_key_;
    ToolFormats tool_formats_;
    std::unique_ptr<VeniceClient> venice_;
    std::unique_ptr<AuditLog> audit_log_;
    std::unique_ptr<AttestationService> attestation_;
    std::unique_ptr<ReceiptService> receipts_;
    std::unique_ptr<ClientKeySet> client_keys_;
    std::shared_ptr<const ServerIdentity> server_identity_;
    std::unique_ptr<SessionStore> sessions_;
    std::unique_ptr<ModelsCache> models_cache_;
    std::shared_ptr<ConcurrencyGate> gate_;
    std::unique_ptr<StageServices> stage_services_;
    StageRegistry plugin_stages_;
    Chain chain_;
};

// The JSON config text handed to plugin `name`: its [plugin_config.<name>] table with `overrides`
// (host policy knobs) set on top.
std::string plugin_config_json(const Config &config, const std::string &name, const json::Value &overrides);

}  // namespace vep::host
