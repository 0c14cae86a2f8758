// The lenient-Hermes fallback of the GLM and Qwen formats (the second step of their parse).
//
// Owns: the rule deciding between a format's primary parse and the lenient Hermes parse of the
// same output. Called by the glm-xml and qwen-xml plugins' parse(). Schema validation is done by
// the host after parse(), so "valid" is approximated here by the checks a plugin can make:
//
//   A call is *usable* when its arguments text is a JSON object and, if the tool list is not
//   empty, its name is one of the tools. The primary outcome is kept when it parsed without
//   error, every call is usable, and it found at least one call or the output has no
//   `<tool_call>`. Otherwise the lenient Hermes parser runs; its result replaces the primary one
//   only when it parsed without error, found at least one call, and every call is usable.
//   Failing that, the primary outcome stands: its error is rethrown, or its calls are returned
//   for the host to reject with a precise message.
#pragma once

#include <functional>
#include <string_view>

#include "vep/sdk.hpp"
#include "vep/tools/tool_catalog.hpp"

namespace vep::tools {

ParsedOutput parse_with_hermes_fallback(std::string_view output, const ToolCatalog &tools,
                                        const std::function<ParsedOutput(std::string_view)> &primary);

}  // namespace vep::tools
