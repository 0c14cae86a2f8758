// Typing of raw argument texts (GLM <arg_value>, Qwen3-Coder <parameter=...>) by the tool's
// parameter schema.
//
// Owns: the conversion of one raw value text into a JSON value. Called by the GLM parser and by
// the repair rules that read raw-text values, with the schema of that property
// (parameters.properties[key]) or nullptr.
// Rules: a literal `null` (any case) is JSON null; string types stay strings; integer types
// (integer, int, int*/uint*/long*/short*/unsigned*) parse as a 64-bit integer; number types
// (number, float, double, num*/float*) parse as an integer or a JSON number; boolean types
// (boolean, bool, binary) accept true/false/1/0 in any case; object and array types (object,
// dict, map, array, list, tuple, set) turn "" into {} / [] and otherwise parse the text as
// JSON; `type` arrays, anyOf and oneOf take the first alternative that converts; a schema with
// only `enum` gives a string. No schema, an unknown type or a failed conversion keeps the raw
// text as a string (the host's schema validation then reports the mismatch).
#pragma once

#include <string_view>

#include "vep/json.hpp"

namespace vep::tools {

json::Value type_raw_value(std::string_view raw, const json::Value *property_schema);

}  // namespace vep::tools
