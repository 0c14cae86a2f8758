// Prompt text shared by the tool_format plugins (controller and correction prompts).
//
// Owns: the requirement sentence, the auto-only rule, the correction opening with its bounded
// echo of the invalid output, and the "Available tools:" trailer. Each plugin's prompt builder
// combines these with its own format description. Phrases pinned by tests are marked below.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace vep::tools {

// The most bytes of a rejected output echoed back in a correction prompt.
inline constexpr size_t kCorrectionOutputMaxBytes = 4096;
inline constexpr std::string_view kTruncatedSuffix = " [output truncated]";

// Required/named choice: contains "You must call at least one tool" (pinned). Auto: tools only
// if needed. Both end by asking for the format below and nothing else.
std::string_view requirement_sentence(bool require_tool_call);

// "\n- If no tool is needed, answer normally and do not use <tool_call>." (pinned) for auto;
// "" when a tool call is required.
std::string_view auto_only_rule(bool require_tool_call);

// `output` cut to at most kCorrectionOutputMaxBytes bytes at a UTF-8 boundary with
// kTruncatedSuffix appended when cut. Idempotent: a text that already is such a cut (at most
// kCorrectionOutputMaxBytes + suffix bytes and ending with the suffix) is returned unchanged, so
// the host and the plugin may both apply it.
std::string cut_invalid_output(std::string_view output);

// "Your previous response attempted a tool call, but it was invalid.\n\nValidation error:\n<error>
// \n\nInvalid output:\n<cut output>\n\nYou must now return only valid tool calls and nothing
// else.\n\n" ("You must now return only valid tool calls" is pinned).
std::string correction_opening(std::string_view error_text, std::string_view invalid_output);

// "\n\nAvailable tools:\n" followed by the tools JSON exactly as given.
std::string available_tools(std::string_view tools_json);

}  // namespace vep::tools
