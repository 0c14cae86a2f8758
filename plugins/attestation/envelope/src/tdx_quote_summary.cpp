// TDX quote header / TD report fields (see tdx_quote_summary.hpp).
#include "tdx_quote_summary.hpp"

#include <algorithm>
#include <string>

#include "vep/sdk.hpp"

namespace vep::envelope {
namespace {

constexpr size_t kHeaderSize = 48;
constexpr size_t kMinimumQuoteSize = 632;  // header 48 + TD 1.0 body 584 (reference minimum)
constexpr size_t kTdAttributesOffset = 120;
constexpr size_t kReportDataOffset = 520;
constexpr uint32_t kTeeTypeTdx = 0x81;

uint64_t le(const std::vector<uint8_t> &b, size_t off, size_t n) {
    uint64_t v = 0;
    for (size_t i = n; i-- > 0;) v = (v << 8) | b[off + i];
    return v;
}

[[noreturn]] void invalid(const std::string &why) {
    throw Failure("attestation_invalid_tdx_evidence", "invalid TDX quote: " + why);
}

}  // namespace

TdxQuoteSummary read_tdx_quote_summary(const std::vector<uint8_t> &quote) {
    if (quote.size() < kMinimumQuoteSize)
        invalid("quote is " + std::to_string(quote.size()) + " bytes, need at least " + std::to_string(kMinimumQuoteSize));
    TdxQuoteSummary s;
    s.version = static_cast<uint16_t>(le(quote, 0, 2));
    s.tee_type = static_cast<uint32_t>(le(quote, 4, 4));
    if (s.tee_type != kTeeTypeTdx) invalid("TEE type is not TDX (0x81)");
    size_t body = kHeaderSize;
    size_t body_size = 584;
    if (s.version == 5) {
        const uint64_t body_type = le(quote, kHeaderSize, 2);
        body_size = static_cast<size_t>(le(quote, kHeaderSize + 2, 4));
        if (!((body_type == 2 && body_size == 584) || (body_type == 3 && body_size == 648)))
            invalid("unknown v5 body descriptor (type " + std::to_string(body_type) + ", size " +
                    std::to_string(body_size) + ")");
        body = kHeaderSize + 6;
    } else if (s.version != 4) {
        invalid("unsupported quote version " + std::to_string(s.version));
    }
    if (quote.size() < body + body_size) invalid("quote ends inside the TD report body");
    s.td_attributes = le(quote, body + kTdAttributesOffset, 8);
    s.debug = (s.td_attributes & 1u) != 0;
    std::copy_n(quote.begin() + static_cast<std::ptrdiff_t>(body + kReportDataOffset), 64, s.report_data.begin());
    return s;
}

}  // namespace vep::envelope
