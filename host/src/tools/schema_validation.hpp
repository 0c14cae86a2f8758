// The JSON Schema subset of tool parameters, with nullable types fixed.
//
// Owns: the request-time shape check of a tool's `parameters` schema and the validation of
// parsed tool-call arguments against it. Called by ToolContext::build (shape) and by
// validate_tool_call (values). Pure functions over vep::json values; messages name the JSON path
// and never echo argument values.
//
// Shape (recursive through `properties` values, `items` and object-valued
// `additionalProperties`): `type` is a known type name or a non-empty array of them (object,
// array, string, integer, number, boolean, null); `required` is an array of strings;
// `properties` an object of objects; `items` an object; `additionalProperties` a boolean or an
// object; `enum` an array. Every other keyword is allowed and ignored.
// Values: `enum` (JSON equality, 1 != 1.0), then `type` (integer = a 64-bit integer literal;
// unknown type names match anything), then object rules (required, declared properties,
// additionalProperties) when the schema implies an object, then array rules (items) when it
// implies an array. Difference from the reference: when `type` lists the value's
// own kind (e.g. null for `type: ["object","null"]`), the object/array rules do not apply to a
// value of that other kind, so nullable object and array schemas accept null.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "vep/json.hpp"

namespace vep::host::tools {

// nullopt when `schema` (a tool's parameters object) uses the subset correctly, else why not,
// e.g. "schema.properties.query must be an object".
std::optional<std::string> schema_shape_error(const json::Value &schema);

// nullopt when `value` satisfies `schema`, else why not, e.g. "arguments.query is required".
std::optional<std::string> schema_violation(const json::Value &value, const json::Value &schema,
                                            std::string_view path = "arguments");

}  // namespace vep::host::tools
