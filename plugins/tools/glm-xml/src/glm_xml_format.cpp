// GlmXmlFormat: see glm_xml_format.hpp.
#include "glm_xml_format.hpp"

#include <string>

#include "glm_xml_parser.hpp"
#include "vep/tools/hermes_fallback.hpp"
#include "vep/tools/marker_json_parser.hpp"
#include "vep/tools/plugin_options.hpp"
#include "vep/tools/prompt_pieces.hpp"
#include "vep/tools/repairing_parse.hpp"
#include "vep/tools/tool_catalog.hpp"

namespace vep::tools {
namespace {

constexpr std::string_view kFormatBlock =
    "<tool_call>TOOL_NAME\n<arg_key>ARGUMENT_NAME</arg_key>\n<arg_value>ARGUMENT_VALUE</arg_value>\n</tool_call>";
constexpr std::string_view kPairInstructions =
    "Inside each <tool_call> block:\n"
    "- Start with the exact tool name as plain text.\n"
    "- Then output one <arg_key>/<arg_value> pair for each argument.\n"
    "- Put only the raw argument name inside <arg_key>.\n"
    "- Put only the raw argument value inside <arg_value>.";
constexpr std::string_view kCompactJsonNote =
    "\n- If an argument value is an object or array, put compact valid JSON inside <arg_value>.";
constexpr std::string_view kMultiExample =
    "<tool_call>TOOL_NAME_1\n<arg_key>ARGUMENT_NAME</arg_key>\n<arg_value>ARGUMENT_VALUE</arg_value>\n</tool_call>\n"
    "<tool_call>TOOL_NAME_2\n<arg_key>ARGUMENT_NAME</arg_key>\n<arg_value>ARGUMENT_VALUE</arg_value>\n</tool_call>";
constexpr std::string_view kNeverUse =
    "Invalid formats. NEVER use these:\n"
    "- <tool_call>TOOL_NAME({\"ARGUMENT_NAME\":\"ARGUMENT_VALUE\"})</tool_call>\n"
    "- <tool_call>TOOL_NAME{\"ARGUMENT_NAME\":\"ARGUMENT_VALUE\"}</tool_call>\n"
    "- <tool_call>{\"name\":\"TOOL_NAME\",\"arguments\":{\"ARGUMENT_NAME\":\"ARGUMENT_VALUE\"}}</tool_call>\n"
    "- TOOL_NAME({\"ARGUMENT_NAME\":\"ARGUMENT_VALUE\"})\n";
constexpr std::string_view kGlmRules =
    "- TOOL_NAME must exactly match one available tool name.\n"
    "- Do not output JSON inside <tool_call> except for object/array values inside <arg_value>.\n"
    "- Do not use function-call syntax like TOOL_NAME(...).\n"
    "- Do not use the Hermes JSON format with \"name\" and \"arguments\" keys.\n"
    "- Argument names and values must satisfy the tool schema.\n";

// The worked example in GLM XML: the tool name, then one <arg_key>/<arg_value> pair per argument.
std::string render_glm_example(const ExampleCall &example) {
    std::string out = "<tool_call>" + example.name + "\n";
    for (const auto &[key, value] : example.arguments.as_object())
        out += "<arg_key>" + key + "</arg_key>\n<arg_value>" + value.as_string() + "</arg_value>\n";
    out += "</tool_call>";
    return out;
}

}  // namespace

GlmXmlFormat::GlmXmlFormat(const json::Value &config) { require_no_options(config, "tools-glm-xml"); }

std::string_view GlmXmlFormat::start_marker() const { return kStartMarker; }

std::string GlmXmlFormat::controller_prompt(const ToolPromptInput &in) {
    std::string out = "You have access to tools.\n\n";
    out += requirement_sentence(in.require_tool_call);
    out += "\n\nRequired GLM XML tool-call format:\n\n";
    out += kFormatBlock;
    out += "\n\n";
    out += kPairInstructions;
    out += kCompactJsonNote;
    out += "\n\nValid single-call example:\n\n";
    out += kFormatBlock;
    out += "\n\nValid multi-call example:\n\n";
    out += kMultiExample;
    out += worked_example(in.tools_json, render_glm_example);
    out += "\n\n";
    out += kNeverUse;
    out += "\nRules:\n";
    out += kGlmRules;
    out += "- Emit one marker block per tool call.\n"
           "- Do not include markdown fences.\n"
           "- Do not include explanations.";
    out += auto_only_rule(in.require_tool_call);
    out += available_tools(in.tools_json);
    return out;
}

std::string GlmXmlFormat::correction_prompt(const ToolPromptInput &in) {
    std::string out = correction_opening(in.error_text, in.invalid_output, in.tools_json);
    out += "Use this exact GLM XML format:\n\n";
    out += kFormatBlock;
    out += "\n\n";
    out += kPairInstructions;
    out += "\n\nValid example:\n\n";
    out += kFormatBlock;
    out += "\n\n";
    out += kNeverUse;
    out += "\nRules:\n";
    out += kGlmRules;
    out += "- Do not include markdown fences.\n"
           "- Do not include explanations.\n"
           "- Do not answer the user directly.";
    out += available_tools(in.tools_json);
    return out;
}

ParsedOutput GlmXmlFormat::parse(std::string_view output, const json::Value &tools) {
    const ToolCatalog catalog(tools);
    return parse_with_repairs(output, catalog, [&catalog](std::string_view text) {
        return parse_with_hermes_fallback(text, catalog, [&catalog](std::string_view t) { return parse_glm_xml(t, catalog); });
    });
}

}  // namespace vep::tools
