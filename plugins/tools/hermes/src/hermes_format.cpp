// HermesFormat: see hermes_format.hpp.
#include "hermes_format.hpp"

#include <string>

#include "vep/tools/marker_json_parser.hpp"
#include "vep/tools/plugin_options.hpp"
#include "vep/tools/prompt_pieces.hpp"
#include "vep/tools/repairing_parse.hpp"
#include "vep/tools/tool_catalog.hpp"

namespace vep::tools {
namespace {

constexpr std::string_view kFormatBlock =
    "<tool_call>\n{\"name\":\"TOOL_NAME\",\"arguments\":{...}}\n</tool_call>";
constexpr std::string_view kTwoKeys =
    "Inside each <tool_call> block, output ONLY one valid JSON object with exactly these top-level keys:\n"
    "- \"name\": the tool name as a JSON string.\n"
    "- \"arguments\": a JSON object containing the tool arguments.";
constexpr std::string_view kSingleExample =
    "<tool_call>\n{\"name\":\"TOOL_NAME\",\"arguments\":{\"ARGUMENT_NAME\":\"ARGUMENT_VALUE\"}}\n</tool_call>";
constexpr std::string_view kMultiExample =
    "<tool_call>\n{\"name\":\"TOOL_NAME_1\",\"arguments\":{\"ARGUMENT_NAME\":\"ARGUMENT_VALUE\"}}\n</tool_call>\n"
    "<tool_call>\n{\"name\":\"TOOL_NAME_2\",\"arguments\":{\"ARGUMENT_NAME\":\"ARGUMENT_VALUE\"}}\n</tool_call>";
constexpr std::string_view kWrappedCallSyntax =
    "- <tool_call>TOOL_NAME({\"ARGUMENT_NAME\":\"ARGUMENT_VALUE\"})</tool_call>\n";
constexpr std::string_view kWrappedNameObject = "- <tool_call>TOOL_NAME{\"ARGUMENT_NAME\":\"ARGUMENT_VALUE\"}</tool_call>\n";
constexpr std::string_view kBareCallSyntax = "- TOOL_NAME({\"ARGUMENT_NAME\":\"ARGUMENT_VALUE\"})\n";
constexpr std::string_view kFlatToolKey = "- {\"tool\":\"TOOL_NAME\",\"ARGUMENT_NAME\":\"ARGUMENT_VALUE\"}\n";
constexpr std::string_view kNameRules =
    "- TOOL_NAME must exactly match one available tool name.\n"
    "- Always put the tool name in the JSON \"name\" field.\n"
    "- Always put tool arguments inside the JSON \"arguments\" object.\n"
    "- Do not put arguments directly after the tool name.\n"
    "- Do not use function-call syntax like TOOL_NAME(...).\n";

}  // namespace

HermesFormat::HermesFormat(const json::Value &config) { require_no_options(config, "tools-hermes"); }

std::string_view HermesFormat::start_marker() const { return kStartMarker; }

std::string HermesFormat::controller_prompt(const ToolPromptInput &in) {
    std::string out = "You have access to tools.\n\n";
    out += requirement_sentence(in.require_tool_call);
    out += "\n\nRequired tool-call format:\n\n";
    out += kFormatBlock;
    out += "\n\n";
    out += kTwoKeys;
    out += "\n\nValid single-call example:\n\n";
    out += kSingleExample;
    out += "\n\nValid multi-call example:\n\n";
    out += kMultiExample;
    out += worked_example(in.tools_json, render_json_example);
    out += "\n\nInvalid formats. NEVER use these:\n";
    out += kWrappedCallSyntax;
    out += kWrappedNameObject;
    out += kBareCallSyntax;
    out += kFlatToolKey;
    out += "\nRules:\n";
    out += kNameRules;
    out += "- arguments must be valid JSON and must satisfy the tool schema.\n"
           "- Emit one marker block per tool call.\n"
           "- Do not include markdown fences.\n"
           "- Do not include explanations.";
    out += auto_only_rule(in.require_tool_call);
    out += available_tools(in.tools_json);
    return out;
}

std::string HermesFormat::correction_prompt(const ToolPromptInput &in) {
    std::string out = correction_opening(in.error_text, in.invalid_output, in.tools_json);
    out += "Use this exact format:\n\n";
    out += kFormatBlock;
    out += "\n\n";
    out += kTwoKeys;
    out += "\n\nValid example:\n\n";
    out += kSingleExample;
    out += "\n\nInvalid formats. NEVER use these:\n";
    out += kWrappedCallSyntax;
    out += kWrappedNameObject;
    out += kBareCallSyntax;
    out += "\nRules:\n";
    out += kNameRules;
    out += "- arguments must be a JSON object.\n"
           "- arguments must satisfy the tool schema.\n"
           "- Do not include markdown fences.\n"
           "- Do not include explanations.\n"
           "- Do not answer the user directly.";
    out += available_tools(in.tools_json);
    return out;
}

ParsedOutput HermesFormat::parse(std::string_view output, const json::Value &tools) {
    return parse_with_repairs(output, ToolCatalog(tools),
                              [](std::string_view text) { return parse_marker_wrapped_json(text, kLenientHermes); });
}

}  // namespace vep::tools
