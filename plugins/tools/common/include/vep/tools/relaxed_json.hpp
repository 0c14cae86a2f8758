// The relaxed JSON reader of the tool-call repair rules.
//
// Owns: reading one JSON value the way models actually write it when strict JSON fails, each
// relaxation recorded under its rule name. Called by the repair rules (call_repairs.cpp) on
// block bodies the format's own parser rejected; never on well-formed output.
//
// Accepted beyond strict JSON, each only where it cannot change the meaning:
//  - "json-raw-control-chars": a raw newline, carriage return or tab inside a string (escaped);
//  - "json-unquoted-keys": object keys written as bare identifiers ([A-Za-z_$][A-Za-z0-9_$-]*);
//  - "json-single-quotes": strings in single quotes (Python literals), with \' as an escape;
//  - "json-python-literals": True, False and None.
// Everything else stays an error: a repeated object key (which value was meant?), trailing
// commas, comments, unquoted string values, numbers JSON does not allow, unbalanced brackets,
// nesting deeper than kMaxRelaxedDepth.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "vep/json.hpp"

namespace vep::tools {

inline constexpr size_t kMaxRelaxedDepth = 64;

struct RelaxedValue {
    json::Value value;
    std::vector<std::string> rules;  // the relaxations used, in first-use order, no duplicates
    size_t end = 0;                  // offset just past the value in the text given
};

// Reads the value that starts at text[0] (no leading whitespace). nullopt when it is not a
// value even under the relaxations above.
std::optional<RelaxedValue> read_relaxed_json(std::string_view text);

}  // namespace vep::tools
