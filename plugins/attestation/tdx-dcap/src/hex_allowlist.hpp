// Allowlists of fixed-size hex values in the tdx-dcap config (MRTD, RTMRs, workload pins).
//
// Owns: parsing a config list of hex strings (optional 0x, surrounding whitespace ignored) of one
// byte length, and the membership test. Callers: the measurement and workload policies.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "quote.hpp"
#include "vep/json.hpp"

namespace vep::tdx_dcap {

using HexAllowlist = std::vector<std::vector<uint8_t>>;

// The list at config[key] (absent or null = empty). Throws vep::Failure("invalid_config", ...)
// naming `where` + key when it is not a list of `bytes`-byte hex strings.
HexAllowlist parse_hex_allowlist(const json::Value &config, std::string_view key, size_t bytes,
                                 std::string_view where = "");

bool allowlisted(const HexAllowlist &list, ByteSpan value);

}  // namespace vep::tdx_dcap
