// The tdx-dcap plugin's configuration (host policy knobs merged with [plugin_config.tdx-dcap]).
//
// Owns: reading and validating every key; unknown keys are rejected so that a misspelt security
// setting cannot silently fall back to a default. Keys: require_tdx, allow_debug, require_nvidia
// (ignored), pccs_url (Intel PCS / PCCS base URL: collateral is fetched online when no
// collateral_file is set), pccs_timeout_ms (per PCCS request, default 5000), root_ca_sha256,
// collateral_file, accepted_tcb_status, verification_time, and the measurement-policy keys
// (including the workload policy: workload, allow_dev_os_image).
// Caller: the verifier.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "measurement_policy.hpp"
#include "vep/json.hpp"

namespace vep::tdx_dcap {

struct PluginConfig {
    bool require_tdx = false;
    bool allow_debug = false;
    std::string pccs_url;  // trimmed; "" = no online collateral
    int64_t pccs_timeout_ms = 5000;
    std::vector<std::string> root_ca_sha256;  // default: the Intel SGX Root CA
    std::optional<std::string> collateral_file;
    std::vector<std::string> accepted_tcb_status;  // default: {"UpToDate"}
    std::optional<int64_t> verification_time;
    MeasurementPolicy measurements;

    // Throws vep::Failure("invalid_config", ...).
    static PluginConfig parse(const json::Value &config);
};

}  // namespace vep::tdx_dcap
