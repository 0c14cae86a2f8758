// The TDX-related fields of an upstream attestation response.
//
// Owns: finding them in both live shapes (ATTESTATION.md): "aci/1" (attestation.evidence.{quote,
// quote_report_data, app_compose, event_log}) and the flat one (intel_quote / quote,
// tdx_reportdata, event_log, info.tcb_info.{app_compose, event_log}, vm_config / info.vm_config as
// a JSON object or a JSON string), and decoding the quote
// (hex with optional 0x, else base64). Every copy of the quote that is present must be the same.
// Caller: the tdx-dcap verifier.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "vep/json.hpp"

namespace vep::tdx_dcap {

struct TdxEvidence {
    std::vector<uint8_t> quote;  // empty when the response carries none
    std::optional<std::vector<uint8_t>> quote_report_data;
    std::optional<std::string> signing_public_key;  // as served (signing_public_key or signing_key)
    std::optional<std::string> signing_address;     // as served
    std::optional<std::string> app_compose;
    std::optional<json::Value> event_log;  // a JSON array
    std::optional<json::Value> vm_config;  // a JSON object (served, not measured)
};

// Throws vep::Failure: attestation_malformed_response (not a JSON object),
// attestation_invalid_tdx_evidence (undecodable or inconsistent fields).
TdxEvidence extract_tdx_evidence(std::string_view evidence_json);

}  // namespace vep::tdx_dcap
