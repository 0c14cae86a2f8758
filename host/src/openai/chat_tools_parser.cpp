#include "openai/chat_tools_parser.hpp"

#include <array>
#include <string_view>

#include "openai/request_errors.hpp"
#include "openai/unicode_trim.hpp"

namespace vep::host {
namespace {

using namespace request_errors;

constexpr std::array<std::string_view, 2> kToolKeys = {"type", "function"};
constexpr std::array<std::string_view, 4> kFunctionKeys = {"name", "description", "parameters", "strict"};
constexpr std::array<std::string_view, 1> kChoiceFunctionKeys = {"name"};

[[noreturn]] void bad_tool(const std::string &path, const std::string &detail) {
    invalid_field("tools", path + ": " + detail);
}

ToolDefinition parse_tool(const json::Value &tool, const std::string &path) {
    if (!tool.is_object()) bad_tool(path, "expected a function tool object, got " + kind_of(tool));
    const json::Value *type = tool.find("type");
    if (type == nullptr) bad_tool(path, "missing field `type`");
    if (!type->is_string() || type->as_string() != "function")
        bad_tool(path, "only function tools are supported, got type " +
                           (type->is_string() ? quoted(type->as_string()) : kind_of(*type)));
    if (const auto key = first_unknown_key(tool, kToolKeys)) bad_tool(path, unknown_field_detail(*key, kToolKeys));
    const json::Value *function = tool.find("function");
    if (function == nullptr) bad_tool(path, "missing field `function`");
    if (!function->is_object()) bad_tool(path + ".function", "expected an object, got " + kind_of(*function));
    if (const auto key = first_unknown_key(*function, kFunctionKeys))
        bad_tool(path + ".function", unknown_field_detail(*key, kFunctionKeys));

    ToolDefinition out;
    const json::Value *name = function->find("name");
    if (name == nullptr) bad_tool(path + ".function", "missing field `name`");
    if (!name->is_string()) bad_tool(path + ".function.name", "expected string, got " + kind_of(*name));
    out.name = name->as_string();
    if (const json::Value *description = function->find("description"); description && !description->is_null()) {
        if (!description->is_string())
            bad_tool(path + ".function.description", "expected string or null, got " + kind_of(*description));
        out.description = description->as_string();
    }
    if (const json::Value *parameters = function->find("parameters"); parameters && !parameters->is_null()) {
        if (!parameters->is_object())
            bad_tool(path + ".function.parameters", "expected a JSON schema object, got " + kind_of(*parameters));
        out.parameters = *parameters;
    }
    if (const json::Value *strict = function->find("strict"); strict && !strict->is_null() && !strict->is_bool())
        bad_tool(path + ".function.strict", "expected boolean or null, got " + kind_of(*strict));
    return out;
}

[[noreturn]] void bad_choice(const json::Value &choice) {
    invalid_field("tool_choice", "expected supported shape, got " + kind_of(choice) +
                                     ": expected \"auto\", \"none\", \"required\" or "
                                     "{\"type\":\"function\",\"function\":{\"name\":...}}");
}

}  // namespace

std::vector<ToolDefinition> parse_tools(const json::Value &tools) {
    if (!tools.is_array())
        invalid_field("tools", "expected supported shape, got " + kind_of(tools) + ": expected an array of function tools");
    std::vector<ToolDefinition> out;
    out.reserve(tools.as_array().size());
    for (size_t i = 0; i < tools.as_array().size(); ++i)
        out.push_back(parse_tool(tools.as_array()[i], "tools[" + std::to_string(i) + "]"));
    for (const auto &tool : out)
        if (is_blank(tool.name)) invalid_field("tools", "function tool names must not be empty");
    return out;
}

ToolChoice parse_tool_choice(const json::Value *choice) {
    ToolChoice out;
    if (choice == nullptr || choice->is_null()) return out;
    if (choice->is_string()) {
        const std::string &mode = choice->as_string();
        if (mode == "auto") out.kind = ToolChoice::Kind::Auto;
        else if (mode == "none") out.kind = ToolChoice::Kind::None;
        else if (mode == "required") out.kind = ToolChoice::Kind::Required;
        else bad_choice(*choice);
        return out;
    }
    if (!choice->is_object() || first_unknown_key(*choice, kToolKeys)) bad_choice(*choice);
    const json::Value *type = choice->find("type");
    const json::Value *function = choice->find("function");
    if (type == nullptr || !type->is_string() || type->as_string() != "function" || function == nullptr ||
        !function->is_object() || first_unknown_key(*function, kChoiceFunctionKeys))
        bad_choice(*choice);
    const json::Value *name = function->find("name");
    if (name == nullptr || !name->is_string()) bad_choice(*choice);
    if (is_blank(name->as_string())) invalid_field("tool_choice", "function tool_choice name must not be empty");
    out.kind = ToolChoice::Kind::Named;
    out.name = name->as_string();
    return out;
}

}  // namespace vep::host
