// The fields the envelope verifier reads from an upstream attestation body, in both live shapes.
//
// Owns: shape detection ("aci/1": root verdict + attestation.evidence{quote, quote_report_data};
// "flat": the older root-only shape with intel_quote, signing_key, tdx_reportdata, tdx_debug) and
// type checking (a wrong type is attestation_malformed_response). Called by EnvelopeVerifier.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "vep/json.hpp"

namespace vep::envelope {

struct EnvelopeFields {
    std::string shape;  // "aci/1" or "flat"
    std::optional<bool> verified;
    std::optional<std::string> nonce;  // raw text as sent (blank handling is the verifier's)
    std::optional<std::string> model;
    std::optional<std::string> tee_provider;        // absent when blank
    std::optional<std::string> signing_public_key;  // absent when blank
    std::optional<std::string> signing_address;     // absent when blank
    std::optional<bool> debug;
    std::optional<std::string> quote;              // attestation.evidence.quote / intel_quote; absent when blank
    std::optional<std::string> root_intel_quote;   // aci/1 only: root copy of the quote, absent when blank
    std::optional<std::string> quote_report_data;  // absent when blank
    std::optional<json::Value> nvidia_payload;     // absent when missing or null
    std::optional<int64_t> freshness_not_after;    // earliest of stale_after / keyset_epoch.not_after
    std::optional<json::Value> workload_keyset;    // attestation.workload_keyset, else root workload_keyset
    std::optional<std::string> workload_keyset_digest;  // root "sha256:<hex>", absent when blank
};

// Reads `root` (the parsed body). Throws vep::Failure("attestation_malformed_response", ...) when
// the body is not an object or a field has the wrong type.
EnvelopeFields read_envelope_fields(const json::Value &root);

}  // namespace vep::envelope
