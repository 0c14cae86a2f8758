// QwenXmlFormat: see qwen_xml_format.hpp.
#include "qwen_xml_format.hpp"

#include <string>

#include "vep/tools/hermes_fallback.hpp"
#include "vep/tools/marker_json_parser.hpp"
#include "vep/tools/plugin_options.hpp"
#include "vep/tools/prompt_pieces.hpp"
#include "vep/tools/repairing_parse.hpp"
#include "vep/tools/tool_catalog.hpp"

namespace vep::tools {
namespace {

constexpr MarkerJsonDialect kStrictQwen{"Qwen XML", true, false};

constexpr std::string_view kFormatBlock =
    "<tool_call>\n{\"name\":\"TOOL_NAME\",\"arguments\":{...}}\n</tool_call>";
constexpr std::string_view kNewlineRule = "There MUST be a newline immediately after <tool_call>.";

}  // namespace

QwenXmlFormat::QwenXmlFormat(const json::Value &config) { require_no_options(config, "tools-qwen-xml"); }

std::string_view QwenXmlFormat::start_marker() const { return kStartMarker; }

std::string QwenXmlFormat::controller_prompt(const ToolPromptInput &in) {
    std::string out = "You have access to tools.\n\n";
    out += requirement_sentence(in.require_tool_call);
    out += "\n\nRequired Qwen XML-wrapped JSON tool-call format:\n\n";
    out += kFormatBlock;
    out += "\n\n";
    out += kNewlineRule;
    out += " Inside each block, output ONLY one valid JSON object with exactly these top-level keys:\n"
           "- \"name\": the tool name as a JSON string.\n"
           "- \"arguments\": a JSON object containing the tool arguments.\n\n"
           "Valid example:\n\n"
           "<tool_call>\n{\"name\":\"TOOL_NAME\",\"arguments\":{\"ARGUMENT_NAME\":\"ARGUMENT_VALUE\"}}\n</tool_call>";
    out += worked_example(in.tools_json, render_json_example);
    out += "\n\nRules:\n"
           "- TOOL_NAME must exactly match one available tool name.\n"
           "- Always put the tool name in the JSON \"name\" field.\n"
           "- Always put tool arguments inside the JSON \"arguments\" object.\n"
           "- Do not use function-call syntax like TOOL_NAME(...).\n"
           "- arguments must be valid JSON and must satisfy the tool schema.\n"
           "- Emit one marker block per tool call.\n"
           "- Do not include markdown fences.\n"
           "- Do not include explanations.";
    out += auto_only_rule(in.require_tool_call);
    out += available_tools(in.tools_json);
    return out;
}

std::string QwenXmlFormat::correction_prompt(const ToolPromptInput &in) {
    std::string out = correction_opening(in.error_text, in.invalid_output, in.tools_json);
    out += "Use this exact Qwen XML-wrapped JSON format:\n\n";
    out += kFormatBlock;
    out += "\n\n";
    out += kNewlineRule;
    out += " Inside each block, output ONLY one valid JSON object with \"name\" and \"arguments\" top-level keys.";
    out += available_tools(in.tools_json);
    return out;
}

ParsedOutput QwenXmlFormat::parse(std::string_view output, const json::Value &tools) {
    const ToolCatalog catalog(tools);
    return parse_with_repairs(output, catalog, [&catalog](std::string_view text) {
        return parse_with_hermes_fallback(
            text, catalog, [](std::string_view t) { return parse_marker_wrapped_json(t, kStrictQwen); });
    });
}

}  // namespace vep::tools
