// The legacy dstack/Venice REPORTDATA binding (see report_data_binding.hpp).
#include "report_data_binding.hpp"

#include <algorithm>

#include "openssl_util.hpp"
#include "vep/hex.hpp"

namespace vep::tdx_dcap {

BindingResult check_report_data_binding(ByteSpan report_data, const std::array<uint8_t, 20> &address,
                                        std::string_view nonce_hex) {
    BindingResult r;
    if (report_data.size() != 64) return r;
    r.address_matches = std::equal(address.begin(), address.end(), report_data.begin());
    r.padding_zero = std::all_of(report_data.begin() + 20, report_data.begin() + 32, [](uint8_t b) { return b == 0; });
    const ByteSpan nonce_part = report_data.subspan(32, 32);
    if (nonce_hex.size() == 64) {
        if (auto raw = hex::decode(nonce_hex);
            raw && std::equal(raw->begin(), raw->end(), nonce_part.begin(), nonce_part.end()))
            r.nonce = NonceBinding::Raw;
    }
    if (!r.nonce && !nonce_hex.empty()) {
        const Sha256 digest =
            sha256(std::span<const uint8_t>(reinterpret_cast<const uint8_t *>(nonce_hex.data()), nonce_hex.size()));
        if (std::equal(digest.begin(), digest.end(), nonce_part.begin(), nonce_part.end())) r.nonce = NonceBinding::Sha256;
    }
    return r;
}

}  // namespace vep::tdx_dcap
