// The named repair rules for tool-call blocks a format's own parser rejected.
//
// Owns: reading the body of one `<tool_call>` block (the text after the marker, up to
// `</tool_call>`, the next marker or the end) into calls by the first rule below whose result is
// unambiguous. Called by parse_with_repairs (repairing_parse.hpp), and only for blocks the
// format's parser (and, for GLM and Qwen, its Hermes fallback) rejected.
//
// A rule's result is used only when every call names a declared tool, every argument key is a
// declared property of that tool (a tool without declared properties takes no arguments), no
// key appears twice, and the rule read the whole body. Nothing is ever invented or defaulted: a
// required argument the model did not write stays missing, so the host's schema validation
// sends the call to correction. The rules, tried in this order (name: what it reads):
//  - "json-raw-control-chars", "json-unquoted-keys", "json-single-quotes",
//    "json-python-literals" (relaxed_json.hpp) and "call-object-aliases": a JSON-like call
//    object, an array of them or {"tool_calls":[...]}, where a call may also be spelled
//    {"function":{"name","arguments"}}, with "tool_name"/"tool" for "name" or
//    "args"/"parameters"/"input" for "arguments"; one rule name per relaxation or alias used;
//  - "function-parameter-xml": Qwen3-Coder's `<function=NAME><parameter=KEY>VALUE</parameter>...
//    </function>` (one newline around each value is layout);
//  - "function-tag-json-arguments": `<function>NAME</function>` followed by a JSON object;
//  - "glm-loose-arg-tags": GLM pairs where every key is closed by `</arg_key>` but other arg
//    tags are missing, doubled or swapped (`NAME</arg_value>KEY</arg_key><arg_value>V</arg_value>`,
//    `NAMEKEY</arg_key><arg_value>V</arg_value>`, `KEY</arg_key></arg_key>`); every value must be
//    closed by `</arg_value>` (a value cut off by the end of the output is not read);
//  - "name-glued-json": `NAMEKEY":...}`, a JSON object whose opening `{"` was lost;
//  - "name-json-objects": `NAME{...}`, or one object per argument `NAME{...}{...}`;
//  - "call-syntax": `NAME({...})` or `NAME(key: value, key=value)` with JSON values;
//  - "attribute-pairs": `NAME key="value" key: 1 ...` (JSON values, stray arg tags ignored).
// NAME must be a declared tool name ending at a character that cannot continue a name, or be
// glued to a declared property of that tool (`readfilePath`) when exactly one split exists.
// Raw-text values (GLM and Qwen3-Coder tags) are typed by schema (value_typing.hpp).
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "vep/sdk.hpp"
#include "vep/tools/tool_catalog.hpp"

namespace vep::tools {

// The calls of one rejected block body, each with its `repair` rule names; nullopt when no
// rule reads it unambiguously.
std::optional<std::vector<ParsedToolCall>> repair_block(std::string_view body, const ToolCatalog &tools);

}  // namespace vep::tools
