// Optional policy on the TD measurements of a verified quote.
//
// Owns: allowlists for MRTD and RTMR0–2 (config `mrtd_allowlist`, `rtmr0_allowlist` …, lists of
// 96-hex values; empty = any), the compose binding MRCONFIGID == 0x01 || SHA-256(app_compose) ||
// zeros (`compose_hash_check`) and the event-log replay against RTMR0–3 (`event_log_replay`), each
// "when_present" (default), "required" or "never". Caller: the tdx-dcap verifier.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "evidence.hpp"
#include "quote.hpp"
#include "report_checks.hpp"
#include "vep/json.hpp"

namespace vep::tdx_dcap {

enum class EvidenceRule { Never, WhenPresent, Required };

struct MeasurementPolicy {
    std::vector<std::array<uint8_t, 48>> mrtd;
    std::array<std::vector<std::array<uint8_t, 48>>, 3> rtmr;
    EvidenceRule compose_hash = EvidenceRule::WhenPresent;
    EvidenceRule event_log = EvidenceRule::WhenPresent;

    // Reads the keys above from the plugin config. Throws vep::Failure("invalid_config", ...).
    static MeasurementPolicy from_config(const json::Value &config);

    // Records a check per rule; throws vep::Failure(attestation_tdx_measurement_rejected) on a miss.
    void check(const Quote &quote, const TdxEvidence &evidence, ReportChecks &checks) const;
};

}  // namespace vep::tdx_dcap
