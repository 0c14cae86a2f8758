// The marker-wrapped JSON tool-call parser shared by the tool_format plugins.
//
// Owns: reading `<tool_call>{"name":...,"arguments":{...}}</tool_call>` blocks out of one complete
// assistant output, in a strict dialect (the Qwen primary parser) and a lenient one (the Hermes
// format and the Hermes fallback of the GLM and Qwen formats). Called by the plugins' parse().
//
// Both dialects:
//  - text outside blocks is normal text (before, between and after blocks); every block gives
//    one call per JSON object, in order; nothing after a call is ever silently dropped;
//  - the JSON object is parsed as a whole, so whitespace anywhere inside it (pretty printing) and
//    either key order are fine; keys other than "name" and "arguments" are ignored; a string
//    value may contain "</tool_call>" (the object must then close right before a later one);
//  - "name" must be a string and "arguments" a JSON object; anything else, a malformed later call
//    after a good one, `NAME({...})`, `NAME{...}`, or output ending inside the JSON object throws
//    vep::Failure("tool_parse_error", <what is wrong, without echoing the payload>).
// Strict dialect only: exactly one '\n' must follow `<tool_call>` when `newline_after_marker`;
// only whitespace may follow the object, and `</tool_call>` must close the block.
// Lenient dialect only (real-world model mistakes that are unambiguous):
//  - any whitespace after `<tool_call>`; a missing `</tool_call>` (at the end of the output or
//    before the next `<tool_call>`);
//  - markdown fences (```json ... ```) around the JSON inside the block;
//  - stray closing tags such as `</arg_value>` between the object and `</tool_call>`;
//  - several JSON objects in one block, or a JSON array of call objects;
//  - "arguments" given as a JSON string whose content is a JSON object.
// Trailing commas and other invalid JSON stay errors ("tool call JSON is invalid: ...").
#pragma once

#include <string_view>

#include "vep/sdk.hpp"

namespace vep::tools {

inline constexpr std::string_view kStartMarker = "<tool_call>";
inline constexpr std::string_view kEndMarker = "</tool_call>";

// Which layout rules apply; `label` names the format in error texts ("Hermes", "Qwen XML").
struct MarkerJsonDialect {
    std::string_view label;
    bool newline_after_marker = false;
    bool lenient = true;
};

inline constexpr MarkerJsonDialect kLenientHermes{"Hermes", false, true};

// One `<tool_call>` block of an output: the body after the marker at `marker` runs to the first
// `</tool_call>` (closed) or, when the next `<tool_call>` or the end of the output comes first,
// up to there (not closed); normal text resumes at `resume`. Used by the GLM parser and the
// repair step, which read a block's body themselves.
struct ToolCallBlock {
    std::string_view body;
    bool closed = false;
    size_t resume = 0;
};
ToolCallBlock block_at(std::string_view output, size_t marker);

// Parses every block of `output`. Throws Failure("tool_parse_error", ...) on a malformed block.
ParsedOutput parse_marker_wrapped_json(std::string_view output, const MarkerJsonDialect &dialect);

}  // namespace vep::tools
