// Per-model pins of the dstack workload a TD runs, and the refusal of dstack development images.
//
// Owns: the config `workload` (a list of tables, first match wins) — each entry has `models`
// (globs on the model id, default ["*"]), hex allowlists `compose_hash` (32 B), `app_id` (20 B),
// `instance_id` (20 B), `os_image_hash` (32 B), `rtmr3` (48 B) and an optional
// `allow_dev_os_image` — plus the top-level `allow_dev_os_image` (default false). Checks the
// authenticated RTMR3 runtime events (the replay already equals the quote's RTMR3) against the
// entry for the model, each pin as a named check. Caller: the measurement policy.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "event_log_replay.hpp"
#include "evidence.hpp"
#include "hex_allowlist.hpp"
#include "quote.hpp"
#include "report_checks.hpp"
#include "vep/json.hpp"

namespace vep::tdx_dcap {

// One `workload` entry: the pins for the models its globs match.
struct WorkloadPins {
    std::vector<std::string> models;
    HexAllowlist compose_hash, app_id, instance_id, os_image_hash, rtmr3;
    std::optional<bool> allow_dev_os_image;

    bool pins_anything() const;
    bool applies_to(std::string_view model) const;
};

struct WorkloadPolicy {
    std::vector<WorkloadPins> entries;
    bool allow_dev_os_image = false;

    // Reads `workload` and `allow_dev_os_image`. Throws vep::Failure("invalid_config", ...).
    static WorkloadPolicy from_config(const json::Value &config);
    bool pins_anything() const;

    // `replayed` is null when no event log was replayed. Records dev_os_image and the pins of the
    // model's entry (workload_*) and sets report.tdx.workload to the values the TD runs; throws
    // vep::Failure(attestation_tdx_measurement_rejected) on a miss.
    void check(std::string_view model, const Quote &quote, const TdxEvidence &evidence,
               const ReplayedRtmrs *replayed, ReportChecks &checks) const;
};

}  // namespace vep::tdx_dcap
