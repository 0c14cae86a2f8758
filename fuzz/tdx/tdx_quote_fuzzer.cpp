// libFuzzer target: parse_quote() on arbitrary bytes must either throw QuoteFormatError or return
// spans that lie inside the input with the sizes the layout fixes; the PCK chain and SGX
// extension parsers then run on what it found.
#include <cstdint>
#include <cstdlib>

#include "openssl_util.hpp"
#include "pck_extension.hpp"
#include "quote.hpp"

using namespace vep::tdx_dcap;

namespace {

void require(bool ok) {
    if (!ok) std::abort();
}

void require_inside(ByteSpan part, const uint8_t *data, size_t size) {
    require(part.data() >= data && part.data() + part.size() <= data + size);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    Quote q;
    try {
        q = parse_quote(ByteSpan(data, size));
    } catch (const QuoteFormatError &) {
        return 0;
    }
    require(q.version == 4 || q.version == 5);
    require(q.body.size() == kTdBody10Size || q.body.size() == kTdBody15Size);
    require(q.signed_region.data() == data && q.signed_region.size() == q.body_offset + q.body.size());
    require(q.signature.size() == 64 && q.attestation_key.size() == 64 && q.qe_report.size() == kQeReportSize &&
            q.qe_report_signature.size() == 64);
    for (ByteSpan part : {q.body, q.signature, q.attestation_key, q.qe_report, q.qe_report_signature, q.qe_auth_data})
        require_inside(part, data, size);
    require_inside(ByteSpan(reinterpret_cast<const uint8_t *>(q.pck_chain_pem.data()), q.pck_chain_pem.size()), data,
                   size);
    volatile uint64_t sink = q.td_attributes() ^ q.seam_attributes() ^ q.report_data()[63] ^ q.rtmr(3)[47];
    (void)sink;

    const auto chain = parse_pem_certificates(q.pck_chain_pem);
    if (!chain.empty()) (void)parse_pck_extension(chain.front().get());
    return 0;
}
