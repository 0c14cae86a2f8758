// Shared attestation policy knobs (see policy.hpp).
#include "vep/attestation/policy.hpp"

#include "vep/sdk.hpp"

namespace vep::attestation {
namespace {

constexpr std::string_view kSharedKeys[] = {"require_tdx", "require_nvidia", "allow_debug", "pccs_url"};

bool read_bool(const json::Value &config, std::string_view key, bool fallback) {
    const json::Value *v = config.find(key);
    if (!v || v->is_null()) return fallback;
    if (!v->is_bool()) throw Failure("invalid_config", std::string(key) + " must be a boolean");
    return v->as_bool();
}

}  // namespace

std::string_view to_string(NvidiaRequirement requirement) {
    switch (requirement) {
    case NvidiaRequirement::Never: return "never";
    case NvidiaRequirement::WhenPresent: return "when_present";
    case NvidiaRequirement::Required: return "required";
    }
    return "never";
}

AttestationPolicy parse_attestation_policy(const json::Value &config) {
    if (!config.is_object()) throw Failure("invalid_config", "attestation plugin config must be an object");
    AttestationPolicy policy;
    policy.require_tdx = read_bool(config, "require_tdx", false);
    policy.allow_debug = read_bool(config, "allow_debug", false);
    if (const json::Value *v = config.find("require_nvidia"); v && !v->is_null()) {
        if (!v->is_string()) throw Failure("invalid_config", "require_nvidia must be a string");
        const std::string &s = v->as_string();
        if (s == "never") policy.require_nvidia = NvidiaRequirement::Never;
        else if (s == "when_present") policy.require_nvidia = NvidiaRequirement::WhenPresent;
        else if (s == "required") policy.require_nvidia = NvidiaRequirement::Required;
        else
            throw Failure("invalid_config",
                          "require_nvidia must be \"required\", \"when_present\" or \"never\", got \"" + s + "\"");
    }
    if (const json::Value *v = config.find("pccs_url"); v && !v->is_null()) {
        if (!v->is_string()) throw Failure("invalid_config", "pccs_url must be a string");
        policy.pccs_url = v->as_string();
    }
    return policy;
}

void reject_unknown_config_keys(const json::Value &config, std::initializer_list<std::string_view> own_keys) {
    if (!config.is_object()) throw Failure("invalid_config", "attestation plugin config must be an object");
    for (const auto &member : config.as_object()) {
        bool known = false;
        for (std::string_view k : kSharedKeys) known = known || member.first == k;
        for (std::string_view k : own_keys) known = known || member.first == k;
        if (!known) throw Failure("invalid_config", "unknown config key \"" + member.first + "\"");
    }
}

}  // namespace vep::attestation
