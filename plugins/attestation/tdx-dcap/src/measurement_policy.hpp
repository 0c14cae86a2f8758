// Optional policy on the TD measurements of a verified quote.
//
// Owns: allowlists for MRTD and RTMR0–2 (config `mrtd_allowlist`, `rtmr0_allowlist` …, lists of
// 96-hex values; empty = any), the compose binding MRCONFIGID == 0x01 || SHA-256(app_compose) ||
// zeros (`compose_hash_check`) and the event-log replay against RTMR0–3 (`event_log_replay`), each
// "when_present" (default), "required" or "never", then the per-model workload policy
// (workload_policy.hpp) on the replayed RTMR3 events. Caller: the tdx-dcap verifier.
#pragma once

#include <array>
#include <string_view>

#include "evidence.hpp"
#include "hex_allowlist.hpp"
#include "quote.hpp"
#include "report_checks.hpp"
#include "workload_policy.hpp"
#include "vep/json.hpp"

namespace vep::tdx_dcap {

enum class EvidenceRule { Never, WhenPresent, Required };

struct MeasurementPolicy {
    HexAllowlist mrtd;
    std::array<HexAllowlist, 3> rtmr;
    EvidenceRule compose_hash = EvidenceRule::WhenPresent;
    EvidenceRule event_log = EvidenceRule::WhenPresent;
    WorkloadPolicy workload;

    // Reads the keys above from the plugin config. Throws vep::Failure("invalid_config", ...).
    static MeasurementPolicy from_config(const json::Value &config);

    // Records a check per rule for the TD serving `model`; throws
    // vep::Failure(attestation_tdx_measurement_rejected) on a miss.
    void check(std::string_view model, const Quote &quote, const TdxEvidence &evidence, ReportChecks &checks) const;
};

}  // namespace vep::tdx_dcap
