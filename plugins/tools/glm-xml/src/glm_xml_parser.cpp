// GLM XML parser: see glm_xml_parser.hpp.
#include "glm_xml_parser.hpp"

#include <string>

#include "vep/tools/value_typing.hpp"
#include "vep/tools/marker_json_parser.hpp"

namespace vep::tools {
namespace {

constexpr std::string_view kKeyOpen = "<arg_key>";
constexpr std::string_view kKeyClose = "</arg_key>";
constexpr std::string_view kValueOpen = "<arg_value>";
constexpr std::string_view kValueClose = "</arg_value>";
constexpr std::string_view kShapeHint =
    "write <tool_call>TOOL_NAME then one <arg_key>NAME</arg_key><arg_value>VALUE</arg_value> pair per argument";

[[noreturn]] void fail(const std::string &message) { throw Failure("tool_parse_error", message); }

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

size_t skip_space(std::string_view s, size_t pos) {
    while (pos < s.size() && is_space(s[pos])) ++pos;
    return pos;
}

std::string_view trim(std::string_view s) {
    size_t begin = 0, end = s.size();
    while (begin < end && is_space(s[begin])) ++begin;
    while (end > begin && is_space(s[end - 1])) --end;
    return s.substr(begin, end - begin);
}

// A tag that is never closed: the output was cut off (no </tool_call>) or the body is malformed.
[[noreturn]] void fail_unclosed(bool block_closed, std::string_view tag) {
    if (!block_closed) fail("incomplete GLM tool call: the output ended before " + std::string(tag));
    fail(std::string(tag) + " is missing before </tool_call>");
}

ParsedToolCall parse_body(std::string_view body, bool block_closed, const ToolCatalog &tools) {
    size_t pos = skip_space(body, 0);
    if (pos >= body.size()) {
        if (!block_closed) fail("incomplete GLM tool call: the output ended after <tool_call>");
        fail("empty tool call block; " + std::string(kShapeHint));
    }
    if (body[pos] == '{' || body[pos] == '[')
        fail("found JSON where the GLM format expects the tool name; " + std::string(kShapeHint));
    size_t name_end = pos;
    while (name_end < body.size() && !is_space(body[name_end]) && body[name_end] != '<') ++name_end;
    const std::string_view name = body.substr(pos, name_end - pos);
    if (name.empty()) fail("the tool name must follow <tool_call>; " + std::string(kShapeHint));
    if (name.find('(') != std::string_view::npos)
        fail("function-call syntax TOOL_NAME(...) is not supported; " + std::string(kShapeHint));
    if (name.find('{') != std::string_view::npos)
        fail("a tool name followed by a JSON object is not supported; " + std::string(kShapeHint));

    const json::Value *parameters = tools.parameters(name);
    const json::Value *properties = parameters ? parameters->find("properties") : nullptr;
    json::Value arguments = json::Value::object();
    pos = skip_space(body, name_end);
    while (pos < body.size()) {
        if (body.substr(pos, kKeyOpen.size()) != kKeyOpen)
            fail("unexpected text in the GLM tool call; " + std::string(kShapeHint));
        const size_t key_start = pos + kKeyOpen.size();
        const size_t key_end = body.find(kKeyClose, key_start);
        if (key_end == std::string_view::npos) fail_unclosed(block_closed, kKeyClose);
        const std::string_view key = trim(body.substr(key_start, key_end - key_start));
        if (key.empty()) fail("an <arg_key> must hold the argument name");
        pos = skip_space(body, key_end + kKeyClose.size());
        if (pos >= body.size()) fail_unclosed(block_closed, kValueOpen);
        if (body.substr(pos, kValueOpen.size()) != kValueOpen)
            fail("each </arg_key> must be followed by <arg_value>; " + std::string(kShapeHint));
        const size_t value_start = pos + kValueOpen.size();
        const size_t value_end = body.find(kValueClose, value_start);
        if (value_end == std::string_view::npos) fail_unclosed(block_closed, kValueClose);
        const std::string_view raw = trim(body.substr(value_start, value_end - value_start));
        const json::Value *property = properties ? properties->find(key) : nullptr;
        arguments.set(key, type_raw_value(raw, property && property->is_object() ? property : nullptr));
        pos = skip_space(body, value_end + kValueClose.size());
    }
    return {std::string(name), json::dump(arguments)};
}

}  // namespace

ParsedOutput parse_glm_xml(std::string_view output, const ToolCatalog &tools) {
    ParsedOutput parsed;
    size_t pos = 0;
    while (pos < output.size()) {
        const size_t marker = output.find(kStartMarker, pos);
        if (marker == std::string_view::npos) {
            parsed.text.append(output.substr(pos));
            break;
        }
        parsed.text.append(output.substr(pos, marker - pos));
        const ToolCallBlock block = block_at(output, marker);
        parsed.calls.push_back(parse_body(block.body, block.closed, tools));
        pos = block.resume;
    }
    return parsed;
}

}  // namespace vep::tools
