// Durations in the configuration: humantime-style strings ("30s", "10m", "1h 30m", "500ms").
// Parsed by the TOML loader for every duration key; formatted back by render_effective_config.
#pragma once

#include <string>
#include <string_view>

#include "config/config.hpp"

namespace vep::host {

// Parses a sequence of "<number><unit>" terms separated by optional whitespace. Units (as in the
// reference's humantime): ns/nsec/nanos, us/usec, ms/msec/millis, s/sec/secs/second/seconds,
// m/min/mins/minute/minutes, h/hr/hrs/hour/hours, d/day/days, w/week/weeks,
// M/month/months (30.44 days), y/year/years (365.25 days). The total must be a whole number of
// milliseconds. Throws ConfigError with a message that quotes `text` (no location).
Duration parse_duration(std::string_view text);

// The shortest "<n>d <n>h <n>m <n>s <n>ms" form, "0s" for zero; parse_duration() reads it back.
std::string format_duration(Duration value);

}  // namespace vep::host
