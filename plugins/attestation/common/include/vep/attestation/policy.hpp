// The attestation policy knobs the host passes to every attestation plugin's config
// (ATTESTATION.md): require_tdx, require_nvidia, allow_debug, pccs_url.
//
// Owns: parsing and type-checking those knobs, and rejecting config keys a plugin does not know.
// Callers: each attestation plugin's constructor.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>

#include "vep/json.hpp"

namespace vep::attestation {

// What `require_nvidia` demands of GPU evidence.
enum class NvidiaRequirement { Never, WhenPresent, Required };

std::string_view to_string(NvidiaRequirement requirement);

// The shared policy. Defaults are the reference proxy's (no TDX, NVIDIA never, no debug).
struct AttestationPolicy {
    bool require_tdx = false;
    NvidiaRequirement require_nvidia = NvidiaRequirement::Never;
    bool allow_debug = false;
    std::string pccs_url;
};

// Reads the shared knobs from a plugin config object. Throws vep::Failure("invalid_config", ...)
// on a wrong type or an unknown require_nvidia value. Other keys are the caller's business.
AttestationPolicy parse_attestation_policy(const json::Value &config);

// Throws vep::Failure("invalid_config", ...) naming the first key of `config` that is neither a
// shared policy knob nor one of `own_keys`.
void reject_unknown_config_keys(const json::Value &config, std::initializer_list<std::string_view> own_keys);

}  // namespace vep::attestation
