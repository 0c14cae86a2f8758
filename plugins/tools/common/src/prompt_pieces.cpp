// Shared prompt text: see prompt_pieces.hpp.
#include "vep/tools/prompt_pieces.hpp"

#include <array>

#include "vep/tools/tool_catalog.hpp"

namespace vep::tools {
namespace {

constexpr std::array<std::string_view, 5> kNonConstrainingKeys = {"title", "examples", "$schema", "$id", "$comment"};
constexpr std::string_view kCutMark = "\u2026";

// `text` up to its first sentence end (". ", ".\n", or a line break), at most
// kCompactDescriptionMaxBytes at a UTF-8 boundary, kCutMark appended when anything was cut.
std::string first_sentence(std::string_view text) {
    size_t end = text.size();
    for (size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '\n' || (text[i] == '.' && (i + 1 == text.size() || text[i + 1] == ' ' || text[i + 1] == '\n'))) {
            end = text[i] == '.' ? i + 1 : i;
            break;
        }
    }
    if (end > kCompactDescriptionMaxBytes) {
        end = kCompactDescriptionMaxBytes;
        while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
    }
    std::string out(text.substr(0, end));
    if (end < text.size()) out += kCutMark;
    return out;
}

bool drops(std::string_view key) {
    for (std::string_view k : kNonConstrainingKeys)
        if (key == k) return true;
    return false;
}

// A schema (or any value inside one) with descriptions cut and non-constraining keys dropped.
// `in_properties`: the object maps property names to schemas (names are kept whatever they are).
json::Value compact_schema(const json::Value &value, bool in_properties) {
    if (value.is_array()) {
        json::Value out = json::Value::array();
        for (const auto &element : value.as_array()) out.push_back(compact_schema(element, false));
        return out;
    }
    if (!value.is_object()) return value;
    json::Value out = json::Value::object();
    for (const auto &[key, member] : value.as_object()) {
        if (!in_properties && drops(key)) continue;
        if (!in_properties && key == "description" && member.is_string()) out.set(key, first_sentence(member.as_string()));
        else out.set(key, compact_schema(member, !in_properties && key == "properties"));
    }
    return out;
}

}  // namespace

std::string_view requirement_sentence(bool require_tool_call) {
    if (require_tool_call)
        return "You must call at least one tool. Do not answer the user directly. Output each tool call in the "
               "format below and nothing else:";
    return "If a tool is needed, do not answer the user directly. Output each tool call in the format below "
           "and nothing else:";
}

std::string_view auto_only_rule(bool require_tool_call) {
    if (require_tool_call) return {};
    return "\n- If no tool is needed, answer normally and do not use <tool_call>.";
}

std::string cut_invalid_output(std::string_view output) {
    if (output.size() <= kCorrectionOutputMaxBytes) return std::string(output);
    if (output.size() <= kCorrectionOutputMaxBytes + kTruncatedSuffix.size() &&
        output.substr(output.size() - kTruncatedSuffix.size()) == kTruncatedSuffix)
        return std::string(output);
    size_t end = kCorrectionOutputMaxBytes;
    while (end > 0 && (static_cast<unsigned char>(output[end]) & 0xC0) == 0x80) --end;
    std::string cut(output.substr(0, end));
    cut += kTruncatedSuffix;
    return cut;
}

// The schema of the one tool of `tools_json` named in `output`: "Parameters of ...". "" when
// no tool or more than one is named there.
std::string named_tool_parameters(std::string_view output, std::string_view tools_json) {
    if (tools_json.empty()) return {};
    json::Value tools;
    try {
        tools = json::parse(tools_json);
    } catch (const json::ParseError &) {
        return {};
    }
    const ToolCatalog catalog(tools);
    std::optional<std::string_view> named;
    for (std::string_view name : catalog.names()) {
        if (output.find(name) == std::string_view::npos) continue;
        if (named && named->find(name) == std::string_view::npos) {
            if (name.find(*named) == std::string_view::npos) return {};  // two different tools
            named = name;                                                // the longer name wins
        } else if (!named) {
            named = name;
        }
    }
    const json::Value *parameters = named ? catalog.parameters(*named) : nullptr;
    if (!parameters) return {};
    std::string out = "Parameters of ";
    out += *named;
    if (const json::Value *required = parameters->find("required"); required && required->is_array()) {
        out += " (required: ";
        bool first = true;
        for (const auto &name : required->as_array()) {
            if (!name.is_string()) continue;
            out += first ? "" : ", ";
            out += name.as_string();
            first = false;
        }
        out += ")";
    }
    out += ":\n";
    out += json::dump(compact_schema(*parameters, false));
    out += "\n\n";
    return out;
}

std::string correction_opening(std::string_view error_text, std::string_view invalid_output,
                               std::string_view tools_json) {
    std::string out = "Your previous response attempted a tool call, but it was invalid.\n\nValidation error:\n";
    out += error_text;
    out += "\n\nInvalid output:\n";
    out += cut_invalid_output(invalid_output);
    out += "\n\n";
    out += named_tool_parameters(invalid_output, tools_json);
    out += "Write the call again with this error fixed, keeping every argument you meant; do not invent values.\n"
           "You must now return only valid tool calls and nothing else.\n\n";
    return out;
}

std::string compact_tools_json(std::string_view tools_json) {
    json::Value tools;
    try {
        tools = json::parse(tools_json);
    } catch (const json::ParseError &) {
        return std::string(tools_json);
    }
    if (!tools.is_array()) return std::string(tools_json);
    return json::dump(compact_schema(tools, false));
}

std::string available_tools(std::string_view tools_json) {
    std::string out = "\n\nAvailable tools:\n";
    if (tools_json.size() <= kFullToolListMaxBytes) out += tools_json;
    else out += compact_tools_json(tools_json);
    return out;
}

std::optional<ExampleCall> example_call(std::string_view tools_json) {
    json::Value tools;
    try {
        tools = json::parse(tools_json);
    } catch (const json::ParseError &) {
        return std::nullopt;
    }
    const ToolCatalog catalog(tools);
    const std::vector<std::string_view> names = catalog.names();
    if (names.empty()) return std::nullopt;
    auto required_of = [&catalog](std::string_view name) -> const json::Value * {
        const json::Value *parameters = catalog.parameters(name);
        const json::Value *required = parameters ? parameters->find("required") : nullptr;
        return required && required->is_array() && !required->as_array().empty() ? required : nullptr;
    };
    std::string_view chosen = names.front();
    for (std::string_view name : names)
        if (required_of(name)) {
            chosen = name;
            break;
        }
    ExampleCall example{std::string(chosen), json::Value::object()};
    if (const json::Value *required = required_of(chosen))
        for (const auto &name : required->as_array())
            if (name.is_string()) example.arguments.set(name.as_string(), "<" + name.as_string() + ">");
    return example;
}

std::string worked_example(std::string_view tools_json, std::string (*render)(const ExampleCall &)) {
    const auto example = example_call(tools_json);
    if (!example) return {};
    return "\n\nExample with a tool from the list below (replace each <...> with the real value):\n\n" +
           render(*example);
}

std::string render_json_example(const ExampleCall &example) {
    json::Value call = json::Value::object();
    call.set("name", example.name);
    call.set("arguments", example.arguments);
    return "<tool_call>\n" + json::dump(call) + "\n</tool_call>";
}

}  // namespace vep::tools
