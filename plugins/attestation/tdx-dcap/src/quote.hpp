// TDX DCAP quote parser (layout only, no cryptography).
//
// Owns: the byte layout of Intel TDX quotes v4 and v5 as a *consumer*: header, optional v5 body
// descriptor, TD report body (TD 1.0 or 1.5), signature data with certification data type 6 (QE
// report) and nested type 5 (PCK chain PEM). Every length is bounded by the buffer and by the
// signature-data length; bytes after the signature data must be zero. Callers: the tdx-dcap
// verifier and the quote-parser fuzz target.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <stdexcept>
#include <string_view>

namespace vep::tdx_dcap {

using ByteSpan = std::span<const uint8_t>;

// Thrown by parse_quote(): the message says which field is wrong.
class QuoteFormatError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

inline constexpr size_t kMaxQuoteSize = 64 * 1024;
inline constexpr size_t kHeaderSize = 48;
inline constexpr size_t kTdBody10Size = 584;
inline constexpr size_t kTdBody15Size = 648;
inline constexpr size_t kQeReportSize = 384;
inline constexpr uint16_t kCertDataQeReport = 6;
inline constexpr uint16_t kCertDataPckChain = 5;

// A parsed quote: spans into the caller's buffer, which must outlive it.
struct Quote {
    uint16_t version = 0;
    uint16_t attestation_key_type = 0;
    uint32_t tee_type = 0;
    ByteSpan qe_vendor_id;    // 16 bytes
    uint16_t body_type = 0;   // 2 = TD report 1.0 (584), 3 = TD report 1.5 (648)
    size_t body_offset = 0;   // 48 (v4) or 54 (v5)
    ByteSpan body;            // the TD report body
    ByteSpan signed_region;   // header [+ descriptor] + body: what the quote signature covers
    ByteSpan signature;       // 64 bytes raw r||s
    ByteSpan attestation_key; // 64 bytes X||Y (P-256)
    ByteSpan qe_report;       // 384 bytes
    ByteSpan qe_report_signature;  // 64 bytes raw r||s by the PCK leaf
    ByteSpan qe_auth_data;
    std::string_view pck_chain_pem;  // trailing NUL bytes removed

    // TD report body fields (offsets relative to the body).
    ByteSpan tee_tcb_svn() const { return body.subspan(0, 16); }
    ByteSpan mr_signer_seam() const { return body.subspan(64, 48); }
    uint64_t seam_attributes() const { return le64(112); }
    uint64_t td_attributes() const { return le64(120); }
    ByteSpan mr_td() const { return body.subspan(136, 48); }
    ByteSpan mr_config_id() const { return body.subspan(184, 48); }
    ByteSpan rtmr(size_t index) const { return body.subspan(328 + 48 * index, 48); }
    ByteSpan report_data() const { return body.subspan(520, 64); }

  private:
    uint64_t le64(size_t off) const {
        uint64_t v = 0;
        for (size_t i = 0; i < 8; ++i) v |= static_cast<uint64_t>(body[off + i]) << (8 * i);
        return v;
    }
};

// Parses `bytes` (at most kMaxQuoteSize). Throws QuoteFormatError.
Quote parse_quote(ByteSpan bytes);

}  // namespace vep::tdx_dcap
