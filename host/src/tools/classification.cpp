// Tool-output classification: see classification.hpp.
#include "tools/classification.hpp"

#include "ids/random_uuid.hpp"
#include "tools/schema_validation.hpp"

namespace vep::host::tools {
namespace {

bool blank(std::string_view text) {
    for (char c : text)
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != '\v') return false;
    return true;
}

std::string quoted(std::string_view text) {
    std::string out;
    json::write_string(out, text);
    return out;
}

}  // namespace

json::Value ValidatedToolCall::to_openai() const {
    json::Value function = json::Value::object();
    function.set("name", name);
    function.set("arguments", arguments);
    json::Value call = json::Value::object();
    call.set("id", id);
    call.set("type", "function");
    call.set("function", std::move(function));
    return call;
}

std::string new_tool_call_id() {
    std::string hex = random_uuid();
    std::string id = "call_";
    for (char c : hex)
        if (c != '-') id += c;
    return id;
}

std::variant<ValidatedToolCall, InvalidToolCall> validate_tool_call(const ParsedToolCall &call,
                                                                    const ToolContext &context) {
    if (blank(call.name)) return InvalidToolCall{"tool call name must not be empty"};
    const ToolDefinition *tool = context.find_tool(call.name);
    if (!tool) return InvalidToolCall{"unknown tool name " + quoted(call.name)};
    json::Value arguments;
    try {
        arguments = json::parse(call.arguments);
    } catch (const json::ParseError &e) {
        return InvalidToolCall{std::string("tool call arguments JSON is invalid: ") + e.what()};
    }
    if (!arguments.is_object()) return InvalidToolCall{"tool call arguments must be a JSON object"};
    if (context.config().validate_json_schema && tool->parameters) {
        if (auto violation = schema_violation(arguments, *tool->parameters))
            return InvalidToolCall{"tool call arguments do not satisfy schema: " + *violation};
    }
    return ValidatedToolCall{new_tool_call_id(), call.name, json::dump_sorted(arguments)};
}

Classification classify(const client::ToolFormatClient &format, std::string_view output, const ToolContext &context,
                        bool enforce_max_bytes) {
    const uint64_t max_bytes = context.config().tool_call_max_bytes;
    if (enforce_max_bytes) {
        const size_t marker = output.find(format.start_marker());
        if (marker != std::string_view::npos && output.size() - marker > max_bytes)
            return InvalidToolCall{"assistant output exceeded the tool call max size of " + std::to_string(max_bytes) +
                                   " bytes"};
    }
    ParsedOutput parsed;
    try {
        parsed = format.parse(output, context.exposed_tools_json());
    } catch (const Failure &f) {
        return InvalidToolCall{std::string("tool call parsing failed: ") + f.what()};
    } catch (const json::ParseError &e) {
        return InvalidToolCall{std::string("tool call parsing failed: the format plugin returned invalid JSON: ") +
                               e.what()};
    }
    if (parsed.calls.empty()) {
        if (context.require_tool_call()) return InvalidToolCall{"expected the assistant response to include a tool call"};
        return NormalText{};
    }
    ToolCalls result;
    for (const auto &call : parsed.calls) {
        auto validated = validate_tool_call(call, context);
        if (auto *invalid = std::get_if<InvalidToolCall>(&validated)) return std::move(*invalid);
        result.calls.push_back(std::get<ValidatedToolCall>(std::move(validated)));
    }
    return result;
}

}  // namespace vep::host::tools
