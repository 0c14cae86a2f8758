// The repair step of every tool_format plugin's parse().
//
// Owns: the order "the format's own parse first; repairs only for the blocks it rejected".
// Called by the hermes, qwen-xml and glm-xml plugins' parse() with their own parse (for GLM and
// Qwen already wrapped in the Hermes fallback) as `parse_format`:
//  1. The whole output goes to `parse_format`. Its result stands when it parsed, every call is
//     usable (all_calls_usable) and it found a call or the output has no `<tool_call>`.
//  2. Otherwise each block (a `<tool_call>` up to `</tool_call>`, the next `<tool_call>` or the
//     end) is read on its own: by `parse_format` when that yields usable calls and no other
//     text, else by repair_block (call_repairs.hpp), whose calls carry their rule names.
//  3. If any block stays unread, the step-1 outcome stands: its error is rethrown (the host
//     sends the output to correction), or its calls are returned for the host to reject.
// Text outside the blocks is kept as normal text, as in step 1.
#pragma once

#include <functional>
#include <string_view>

#include "vep/sdk.hpp"
#include "vep/tools/tool_catalog.hpp"

namespace vep::tools {

ParsedOutput parse_with_repairs(std::string_view output, const ToolCatalog &tools,
                                const std::function<ParsedOutput(std::string_view)> &parse_format);

}  // namespace vep::tools
