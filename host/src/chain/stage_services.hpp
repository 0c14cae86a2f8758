// StageServices: what a configuration generation offers the stage builders — the settings and
// the shared services the built-in stages draw on. A builder takes only what its stage uses into
// the stage's own small dependency struct, so a stage never sees the whole generation. Filled by
// Generation::build, read once per generation by Chain::build.
#pragma once

#include <map>
#include <memory>
#include <string>

#include "attestation/attestation_service.hpp"
#include "config/config.hpp"
#include "limits/concurrency_gate.hpp"
#include "session/session_store.hpp"
#include "vep/client.hpp"

namespace vep::host {

// Tool format plugin instances by name.
using ToolFormats = std::map<std::string, std::shared_ptr<const vep::client::ToolFormatClient>>;

struct StageServices {
    const Config &config;
    const vep::client::CipherClient &cipher;
    // The process-scope client key pair; null when keys.generate_proxy_instance_key_on_startup is false.
    std::shared_ptr<const vep::client::CipherClient::Key> instance_key;
    const ToolFormats &tool_formats;
    SessionStore &sessions;
    const AttestationService &attestation;
    ConcurrencyGate &gate;
    // The agent id shared by id-less requests when session.fallback_scope = "agent".
    std::string process_agent_id;
};

}  // namespace vep::host
