// The host's entry points to a format's prompts.
//
// Owns: passing the exposed tools and the requirement flag to the format plugin, and cutting the
// invalid output echoed in a correction prompt to 4096 bytes at a UTF-8 boundary with
// " [output truncated]" appended (the ABI promises the plugin an already-cut output). Called by
// the tools stage when it prepares the system message of a tool-emulated attempt; where the text
// goes is that stage's business.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "tools/tool_context.hpp"
#include "vep/client.hpp"

namespace vep::host::tools {

inline constexpr size_t kCorrectionOutputMaxBytes = 4096;

std::string controller_prompt(const client::ToolFormatClient &format, const ToolContext &context);

std::string correction_prompt(const client::ToolFormatClient &format, const ToolContext &context,
                              std::string_view error_text, std::string_view invalid_output);

// `output` cut for a correction prompt: unchanged when it fits kCorrectionOutputMaxBytes, else
// its first bytes up to that limit (backed off to a UTF-8 boundary) + " [output truncated]".
std::string cut_invalid_output(std::string_view output);

}  // namespace vep::host::tools
