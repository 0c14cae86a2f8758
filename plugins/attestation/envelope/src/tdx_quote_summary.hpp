// The few TDX quote fields the envelope verifier reads without verifying the quote signature.
//
// Owns: header and TD-report-body offsets for quote versions 4 (body at 48) and 5 (6-byte body
// descriptor, body at 54), fixing the reference proxy, which read every quote at the v4 offsets.
// Called by EnvelopeVerifier; the cryptographic quote check belongs to the tdx-dcap plugin.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

namespace vep::envelope {

struct TdxQuoteSummary {
    uint16_t version = 0;
    uint32_t tee_type = 0;
    uint64_t td_attributes = 0;
    bool debug = false;  // TD attributes bit 0
    std::array<uint8_t, 64> report_data{};
};

// Reads the quote bytes. Throws vep::Failure("attestation_invalid_tdx_evidence", ...) when shorter
// than 632 bytes, when the TEE type is not 0x81 (TDX), or the version / v5 body descriptor is not
// one this parser knows (4; 5 with body type 2 or 3), or the body would run past the end.
TdxQuoteSummary read_tdx_quote_summary(const std::vector<uint8_t> &quote);

}  // namespace vep::envelope
