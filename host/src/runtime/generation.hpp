// Generation: one loaded configuration and everything built from it — the plugin libraries, the
// cipher and its proxy instance key, tool formats, attestation verifiers, the Venice client, the
// session store, the models cache and the handler chain. Built once (start-up, and each reload),
// immutable afterwards except for the thread-safe stores inside, and shared by every request that
// started under it (shared_ptr), so a reload swaps in a new generation while open streams finish
// on the old one and its plugins stay loaded until their last user ends.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "attestation/audit_log.hpp"
#include "chain/chain.hpp"
#include "chain/stage_registry.hpp"
#include "config/config.hpp"
#include "plugin/plugin_set.hpp"
#include "runtime/concurrency_gate.hpp"
#include "runtime/models_cache.hpp"
#include "session/session_store.hpp"
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

// One configured attestation verifier.
struct Verifier {
    std::string name;
    std::shared_ptr<const vep::client::AttestationClient> client;
};

class Generation {
  public:
    // Builds everything; throws GenerationError (plugin load failures, plugin config rejected,
    // unknown chain stage, missing API key, ...).
    static std::shared_ptr<const Generation> build(Config config, const PluginLoader &loader,
                                                   std::shared_ptr<ConcurrencyGate> gate,
                                                   GenerationPurpose purpose = GenerationPurpose::Serve);

    const Config &config() const { return config_; }
    const PluginSet &plugins() const { return plugins_; }
    const vep::client::CipherClient &cipher() const { return *cipher_; }
    // The process-scope client key pair; null when keys.generate_proxy_instance_key_on_startup is false.
    const std::shared_ptr<const vep::client::CipherClient::Key> &instance_key() const { return instance_key_; }
    // The tool format plugin instance by name; null when tool emulation is off or unknown name.
    std::shared_ptr<const vep::client::ToolFormatClient> tool_format(const std::string &name) const;
    const std::vector<Verifier> &verifiers() const { return verifiers_; }
    const VeniceClient &venice() const { return *venice_; }
    SessionStore &sessions() const { return *sessions_; }
    ModelsCache &models_cache() const { return *models_cache_; }
    AuditLog &audit_log() const { return *audit_log_; }
    ConcurrencyGate &gate() const { return *gate_; }
    const Chain &chain() const { return chain_; }
    // The agent id shared by id-less requests when session.fallback_scope = "agent".
    const std::string &process_agent_id() const { return process_agent_id_; }

  private:
    Generation() = default;

    Config config_;
    PluginSet plugins_;
    std::shared_ptr<vep::client::CipherClient> cipher_;
    std::shared_ptr<const vep::client::CipherClient::Key> instance_key_;
    std::map<std::string, std::shared_ptr<const vep::client::ToolFormatClient>> tool_formats_;
    std::vector<Verifier> verifiers_;
    std::unique_ptr<VeniceClient> venice_;
    std::unique_ptr<SessionStore> sessions_;
    std::unique_ptr<ModelsCache> models_cache_;
    std::unique_ptr<AuditLog> audit_log_;
    std::shared_ptr<ConcurrencyGate> gate_;
    StageRegistry plugin_stages_;
    Chain chain_;
    std::string process_agent_id_;
};

// The JSON config text handed to plugin `name`: its [plugin_config.<name>] table with `overrides`
// (host policy knobs) set on top.
std::string plugin_config_json(const Config &config, const std::string &name, const json::Value &overrides);

}  // namespace vep::host
