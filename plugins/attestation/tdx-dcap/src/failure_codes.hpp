// The attestation error codes the tdx-dcap verifier throws (the reference proxy's attestation error
// codes plus this verifier's own, listed in ATTESTATION.md; all map to 502 proxy_attestation_error).
#pragma once

namespace vep::tdx_dcap::code {

inline constexpr const char *kMalformedResponse = "attestation_malformed_response";
inline constexpr const char *kMissingRequiredField = "attestation_missing_required_field";
inline constexpr const char *kMissingTdxEvidence = "attestation_missing_tdx_evidence";
inline constexpr const char *kInvalidTdxEvidence = "attestation_invalid_tdx_evidence";
inline constexpr const char *kDebugModeDetected = "attestation_debug_mode_detected";
inline constexpr const char *kSigningAddressMismatch = "attestation_signing_address_mismatch";
inline constexpr const char *kTcbRejected = "attestation_tdx_tcb_rejected";
inline constexpr const char *kMeasurementRejected = "attestation_tdx_measurement_rejected";

}  // namespace vep::tdx_dcap::code
