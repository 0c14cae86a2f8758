// The nvidia-evidence plugin's configuration (host policy knobs merged with
// [plugin_config.nvidia-evidence]).
//
// Owns: reading and validating every key; unknown keys are rejected so that a misspelt security
// setting cannot fall back to a default. Keys: root_ca_sha256, verification_time; the RIM check
// (rim = "off" | "required", rim_root_ca_sha256, rim_directory, rim_service_url, rim_timeout_ms);
// the revocation check (revocation = "off" | "ocsp", ocsp_url, ocsp_timeout_ms,
// ocsp_allow_unknown, ocsp_revoked_grace_seconds, ocsp_unreachable_grace_seconds). Nothing
// touches the network unless rim_service_url is set or revocation = "ocsp". Caller: the verifier.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <set>
#include <string>

#include "ocsp_checker.hpp"
#include "vep/attestation/policy.hpp"
#include "vep/json.hpp"

namespace vep::nvidia {

struct RimSettings {
    bool required = false;              // rim = "required"
    std::set<std::string> root_sha256;  // rim_root_ca_sha256: pins of the RIM signing root
    std::string directory;              // rim_directory
    std::string service_url;            // rim_service_url
    std::chrono::milliseconds timeout{5000};
};

struct PluginConfig {
    attestation::AttestationPolicy policy;
    std::set<std::string> root_sha256;  // default: NVIDIA Device Identity CA
    std::optional<int64_t> verification_time;
    RimSettings rim;
    bool ocsp = false;  // revocation = "ocsp"
    OcspChecker::Settings ocsp_settings;

    // Throws vep::Failure("invalid_config", ...).
    static PluginConfig parse(const json::Value &config);
};

}  // namespace vep::nvidia
