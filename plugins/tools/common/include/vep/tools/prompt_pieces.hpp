// Prompt text shared by the tool_format plugins (controller and correction prompts).
//
// Owns: the requirement sentence, the auto-only rule, the correction opening with its bounded
// echo of the invalid output and the schema of the tool it tried to call, the worked example
// call taken from the request's own tools, and the "Available tools:" trailer with its
// compaction for large tool sets. Each plugin's prompt builder combines these with its own format
// description. Phrases pinned by tests are marked below.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "vep/json.hpp"

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
// \n\nInvalid output:\n<cut output>\n\n", then — when exactly one tool of `tools_json` is named
// in the output — "Parameters of <tool> (required: a, b):\n<its parameters schema>\n\n", then
// "Write the call again with this error fixed, keeping every argument you meant; do not
// invent values.\nYou must now return only valid tool calls and nothing else.\n\n" ("You must
// now return only valid tool calls" is pinned).
std::string correction_opening(std::string_view error_text, std::string_view invalid_output,
                               std::string_view tools_json = {});

// The most bytes of a tools JSON given to the model as is; a larger list is compacted.
inline constexpr size_t kFullToolListMaxBytes = 8192;
// The most bytes of a description in a compacted tool list.
inline constexpr size_t kCompactDescriptionMaxBytes = 160;

// "\n\nAvailable tools:\n" followed by the tools JSON exactly as given when it fits
// kFullToolListMaxBytes, else by compact_tools_json() of it.
std::string available_tools(std::string_view tools_json);

// The tool list for large tool sets, in the same OpenAI shape: every name, type, `required`
// list, enum, default, bound and nesting is kept; each description (of a tool or a parameter)
// is cut to its first sentence, at most kCompactDescriptionMaxBytes at a UTF-8 boundary ("…"
// marks a cut); keys that do not constrain a call (title, examples, $schema, $id, $comment) are
// dropped. Text that is not a JSON array is returned unchanged.
std::string compact_tools_json(std::string_view tools_json);

// The worked example of a controller prompt: the first tool that has required parameters (else
// the first tool), each required argument with the placeholder "<NAME>". nullopt without tools.
struct ExampleCall {
    std::string name;
    json::Value arguments;
};
std::optional<ExampleCall> example_call(std::string_view tools_json);

// "\n\nExample with a tool from the list below (replace each <...> with the real value):\n\n"
// followed by `render(example_call(tools_json))`; "" without tools.
std::string worked_example(std::string_view tools_json, std::string (*render)(const ExampleCall &));

// The example as a marker-wrapped JSON block: "<tool_call>\n{"name":...,"arguments":{...}}\n</tool_call>"
// (the Hermes and Qwen forms).
std::string render_json_example(const ExampleCall &example);

}  // namespace vep::tools
