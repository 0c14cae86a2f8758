// The legacy dstack/Venice REPORTDATA binding.
//
// Owns: REPORTDATA = signing address (20) || 12 zero bytes || nonce (32), the nonce either as the
// raw 32 bytes of the 64-hex nonce we sent or SHA-256 of the nonce string. Pure function.
// Caller: the tdx-dcap verifier.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "quote.hpp"

namespace vep::tdx_dcap {

enum class NonceBinding { Raw, Sha256 };

struct BindingResult {
    std::optional<NonceBinding> nonce;  // nullopt: the nonce does not match in either form
    bool address_matches = false;
    bool padding_zero = false;
};

BindingResult check_report_data_binding(ByteSpan report_data, const std::array<uint8_t, 20> &address,
                                        std::string_view nonce_hex);

}  // namespace vep::tdx_dcap
