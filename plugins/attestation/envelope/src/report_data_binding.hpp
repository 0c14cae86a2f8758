// How REPORTDATA binds the attested signing key and the client nonce.
//
// Owns: the accepted layouts. Bytes 0..32 start with one of (the reference proxy's set): the raw
// 20-byte signing address (then bytes 20..32 must be zero: Venice's layout), SHA-256 of the
// 65-byte uncompressed key, or SHA-256 of the "0x…" address text. Bytes 32..64 carry the nonce:
// its 32 raw bytes or SHA-256 of the nonce text (a fix: the reference never checked the nonce).
// Called by EnvelopeVerifier.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace vep::envelope {

struct ReportDataBinding {
    std::string key_binding;    // "raw" (address bytes) or "sha256" (digest of key or address)
    std::string nonce_binding;  // "raw" or "sha256"
};

// Checks `report_data` (64 bytes). `public_key` is the 65-byte uncompressed key, `address` the
// normalised "0x…" address, `nonce_hex` the 64-hex nonce the host sent. Throws
// vep::Failure("attestation_invalid_tdx_evidence") when the key is not bound (or the padding after
// a raw address is not zero) and vep::Failure("attestation_nonce_mismatch") when the nonce is not.
ReportDataBinding check_report_data_binding(const std::array<uint8_t, 64> &report_data,
                                            const std::vector<uint8_t> &public_key, const std::string &address,
                                            const std::string &nonce_hex);

}  // namespace vep::envelope
