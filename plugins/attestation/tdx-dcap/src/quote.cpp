// TDX DCAP quote parser (see quote.hpp).
#include "quote.hpp"

#include <string>

namespace vep::tdx_dcap {
namespace {

// A bounds-checked forward reader over the quote bytes.
class Reader {
  public:
    explicit Reader(ByteSpan bytes) : bytes_(bytes) {}
    size_t offset() const { return off_; }
    ByteSpan take(size_t n, const char *what) {
        if (n > bytes_.size() - off_)
            throw QuoteFormatError(std::string("quote truncated in ") + what + " at offset " + std::to_string(off_));
        ByteSpan out = bytes_.subspan(off_, n);
        off_ += n;
        return out;
    }
    uint16_t u16(const char *what) {
        ByteSpan b = take(2, what);
        return static_cast<uint16_t>(b[0] | (b[1] << 8));
    }
    uint32_t u32(const char *what) {
        ByteSpan b = take(4, what);
        return static_cast<uint32_t>(b[0]) | (static_cast<uint32_t>(b[1]) << 8) | (static_cast<uint32_t>(b[2]) << 16) |
               (static_cast<uint32_t>(b[3]) << 24);
    }

  private:
    ByteSpan bytes_;
    size_t off_ = 0;
};

size_t body_size_for_type(uint16_t type) {
    switch (type) {
    case 2: return kTdBody10Size;
    case 3: return kTdBody15Size;
    default: throw QuoteFormatError("unsupported v5 body type " + std::to_string(type) + " (want 2 or 3: TD report)");
    }
}

}  // namespace

Quote parse_quote(ByteSpan bytes) {
    if (bytes.size() > kMaxQuoteSize)
        throw QuoteFormatError("quote larger than " + std::to_string(kMaxQuoteSize) + " bytes");
    Quote q;
    Reader r(bytes);
    q.version = r.u16("header");
    if (q.version != 4 && q.version != 5)
        throw QuoteFormatError("unsupported quote version " + std::to_string(q.version) + " (want 4 or 5)");
    q.attestation_key_type = r.u16("header");
    q.tee_type = r.u32("header");
    r.take(4, "header");
    q.qe_vendor_id = r.take(16, "header");
    r.take(20, "header");

    size_t body_size = kTdBody10Size;
    q.body_type = 2;
    if (q.version == 5) {
        q.body_type = r.u16("body descriptor");
        body_size = body_size_for_type(q.body_type);
        const uint32_t declared = r.u32("body descriptor");
        if (declared != body_size)
            throw QuoteFormatError("v5 body size " + std::to_string(declared) + " does not match body type " +
                                   std::to_string(q.body_type));
    }
    q.body_offset = r.offset();
    q.body = r.take(body_size, "TD report body");
    q.signed_region = bytes.subspan(0, r.offset());

    const uint32_t sig_data_len = r.u32("signature data length");
    const ByteSpan sig_data = r.take(sig_data_len, "signature data");
    for (size_t i = r.offset(); i < bytes.size(); ++i)
        if (bytes[i] != 0) throw QuoteFormatError("non-zero bytes after the signature data");

    Reader s(sig_data);
    q.signature = s.take(64, "quote signature");
    q.attestation_key = s.take(64, "attestation key");
    const uint16_t cert_type = s.u16("certification data type");
    if (cert_type != kCertDataQeReport)
        throw QuoteFormatError("certification data type " + std::to_string(cert_type) +
                               " is not 6 (QE report); it cannot be verified offline");
    const uint32_t cert_size = s.u32("certification data size");
    if (cert_size != sig_data_len - s.offset())
        throw QuoteFormatError("certification data size does not match the signature data length");
    Reader c(s.take(cert_size, "certification data"));
    q.qe_report = c.take(kQeReportSize, "QE report");
    q.qe_report_signature = c.take(64, "QE report signature");
    const uint16_t auth_len = c.u16("QE auth data length");
    q.qe_auth_data = c.take(auth_len, "QE auth data");
    const uint16_t nested_type = c.u16("nested certification data type");
    if (nested_type != kCertDataPckChain)
        throw QuoteFormatError("nested certification data type " + std::to_string(nested_type) +
                               " is not 5 (PCK certificate chain)");
    const uint32_t chain_size = c.u32("PCK chain size");
    if (chain_size != cert_size - c.offset())
        throw QuoteFormatError("PCK chain size does not match the certification data size");
    const ByteSpan chain = c.take(chain_size, "PCK chain");
    size_t chain_len = chain.size();
    while (chain_len > 0 && chain[chain_len - 1] == 0) --chain_len;
    q.pck_chain_pem = std::string_view(reinterpret_cast<const char *>(chain.data()), chain_len);
    return q;
}

}  // namespace vep::tdx_dcap
