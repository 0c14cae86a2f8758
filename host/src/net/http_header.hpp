// is_safe_header_value(): whether a value can travel in an HTTP header line — no CR, LF, NUL or
// other control byte but tab — so nothing a request carries can split a response. Used wherever a
// response header is set from data (chain/exchange.cpp) and by the header fuzzer.
#pragma once

#include <string_view>

namespace vep::host {

inline bool is_safe_header_value(std::string_view value) {
    for (const char c : value) {
        const auto u = static_cast<unsigned char>(c);
        if ((u < 0x20 && u != '\t') || u == 0x7f) return false;
    }
    return true;
}

}  // namespace vep::host
