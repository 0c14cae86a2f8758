// The tdx-dcap plugin's configuration (see plugin_config.hpp).
#include "plugin_config.hpp"

#include <string_view>

#include "intel_sgx_root_ca.hpp"
#include "vep/attestation/policy.hpp"
#include "vep/hex.hpp"
#include "vep/sdk.hpp"
#include "vep/text.hpp"

namespace vep::tdx_dcap {
namespace {

constexpr int64_t kMaxPccsTimeoutMs = 120000;

[[noreturn]] void bad(const std::string &why) { throw Failure("invalid_config", "tdx-dcap: " + why); }

std::vector<std::string> strings(const json::Value &config, std::string_view key, std::vector<std::string> fallback) {
    const json::Value *v = config.find(key);
    if (!v || v->is_null()) return fallback;
    if (v->is_string()) return {v->as_string()};
    if (!v->is_array()) bad(std::string(key) + " must be a list of strings");
    std::vector<std::string> out;
    for (const auto &item : v->as_array()) {
        if (!item.is_string()) bad(std::string(key) + " must be a list of strings");
        out.push_back(item.as_string());
    }
    return out;
}

}  // namespace

PluginConfig PluginConfig::parse(const json::Value &config) {
    attestation::reject_unknown_config_keys(
        config, {"root_ca_sha256", "pccs_timeout_ms", "collateral_file", "accepted_tcb_status", "verification_time", "mrtd_allowlist",
                 "rtmr0_allowlist", "rtmr1_allowlist", "rtmr2_allowlist", "compose_hash_check", "event_log_replay",
                 "workload", "allow_dev_os_image"});
    const attestation::AttestationPolicy policy = attestation::parse_attestation_policy(config);
    PluginConfig c;
    c.require_tdx = policy.require_tdx;
    c.allow_debug = policy.allow_debug;
    c.pccs_url = std::string(trim_ascii(policy.pccs_url));
    if (const json::Value *v = config.find("pccs_timeout_ms"); v && !v->is_null()) {
        int64_t ms = 0;
        if (!v->get_i64(ms) || ms < 1 || ms > kMaxPccsTimeoutMs)
            bad("pccs_timeout_ms must be an integer from 1 to " + std::to_string(kMaxPccsTimeoutMs));
        c.pccs_timeout_ms = ms;
    }
    c.root_ca_sha256 = strings(config, "root_ca_sha256", {std::string(kIntelSgxRootCaSha256)});
    if (c.root_ca_sha256.empty()) bad("root_ca_sha256 must pin at least one root");
    if (const json::Value *v = config.find("collateral_file"); v && !v->is_null()) {
        if (!v->is_string() || v->as_string().empty()) bad("collateral_file must be a path");
        c.collateral_file = v->as_string();
    }
    c.accepted_tcb_status = strings(config, "accepted_tcb_status", {"UpToDate"});
    if (const json::Value *v = config.find("verification_time"); v && !v->is_null()) {
        int64_t t = 0;
        if (!v->get_i64(t) || t <= 0) bad("verification_time must be positive unix seconds");
        c.verification_time = t;
    }
    c.measurements = MeasurementPolicy::from_config(config);
    return c;
}

}  // namespace vep::tdx_dcap
