// The GLM-4.7 XML tool-call parser, without the reference proxy's data loss.
//
// Owns: reading `<tool_call>NAME <arg_key>K</arg_key><arg_value>V</arg_value>... </tool_call>`
// blocks out of one complete assistant output. Called by GlmXmlFormat::parse() as the primary
// parser (the lenient Hermes fallback wraps it there).
// Grammar of a block body: optional whitespace, the tool name (characters other than whitespace
// and '<'), then zero or more key/value pairs separated by optional whitespace; keys and values
// are trimmed; a repeated key keeps the last value. Values are typed by the tool's schema
// (vep/tools/value_typing.hpp). Text before, between and after blocks is normal text, and every block
// is parsed (a later block is never dropped). A missing `</tool_call>` is accepted when the body
// is complete (at the end of the output or before the next `<tool_call>`). Anything else — a JSON
// object instead of the name, `NAME(...)`, stray text, an unclosed tag — throws
// Failure("tool_parse_error", ...) without echoing the payload.
#pragma once

#include <string_view>

#include "vep/sdk.hpp"
#include "vep/tools/tool_catalog.hpp"

namespace vep::tools {

ParsedOutput parse_glm_xml(std::string_view output, const ToolCatalog &tools);

}  // namespace vep::tools
