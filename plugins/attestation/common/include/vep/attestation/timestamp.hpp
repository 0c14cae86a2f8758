// Timestamps in attestation bodies: RFC 3339 text or Unix seconds.
//
// Owns nothing: pure functions. Callers: the envelope plugin (freshness), others as needed.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "vep/json.hpp"

namespace vep::attestation {

// Parses RFC 3339 ("2026-06-01T12:00:00Z", "…T12:00:00.123+02:00"; fractional seconds are
// truncated) into Unix seconds. nullopt when malformed or out of range.
std::optional<int64_t> parse_rfc3339(std::string_view text);

// A JSON number (integer Unix seconds), a string of decimal digits (Unix seconds), or an RFC 3339
// string. nullopt for anything else.
std::optional<int64_t> parse_timestamp(const json::Value &value);

}  // namespace vep::attestation
