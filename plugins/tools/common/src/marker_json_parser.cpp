// Marker-wrapped JSON parser: see marker_json_parser.hpp for the accepted layouts.
#include "vep/tools/marker_json_parser.hpp"

#include <string>
#include <vector>

namespace vep::tools {
namespace {

constexpr std::string_view kFence = "```";
constexpr std::string_view kShapeHint = R"(write {"name":"TOOL_NAME","arguments":{...}} inside <tool_call>)";

[[noreturn]] void fail(const std::string &message) { throw Failure("tool_parse_error", message); }

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

bool starts_at(std::string_view s, size_t pos, std::string_view what) {
    return pos <= s.size() && s.substr(pos, what.size()) == what;
}

size_t skip_space(std::string_view s, size_t pos) {
    while (pos < s.size() && is_space(s[pos])) ++pos;
    return pos;
}

// Length of a closing tag `</name>` at `pos` (letters, digits, '_' and '-'), 0 when there is none.
size_t closing_tag_length(std::string_view s, size_t pos) {
    if (!starts_at(s, pos, "</")) return 0;
    size_t end = pos + 2;
    const size_t name_start = end;
    while (end < s.size()) {
        const char c = s[end];
        const bool word = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
                          c == '-';
        if (!word) break;
        ++end;
    }
    if (end == name_start || end >= s.size() || s[end] != '>') return 0;
    return end + 1 - pos;
}

// End (exclusive) of the bracket-balanced JSON text starting at s[pos] ('{' or '['), scanning no
// further than `limit`; npos when the brackets do not balance before it. Strings and escapes are
// honoured, so braces inside string values do not count.
size_t balanced_end(std::string_view s, size_t pos, size_t limit) {
    size_t depth = 0;
    bool in_string = false;
    bool escaped = false;
    for (size_t i = pos; i < limit; ++i) {
        const char c = s[i];
        if (in_string) {
            if (escaped) escaped = false;
            else if (c == '\\') escaped = true;
            else if (c == '"') in_string = false;
            continue;
        }
        if (c == '"') {
            in_string = true;
        } else if (c == '{' || c == '[') {
            ++depth;
        } else if (c == '}' || c == ']') {
            if (depth == 0) return std::string_view::npos;
            if (--depth == 0) return i + 1;
        }
    }
    return std::string_view::npos;
}

std::string incomplete(const MarkerJsonDialect &dialect, std::string_view detail) {
    return "incomplete " + std::string(dialect.label) + " tool call: " + std::string(detail);
}

// Explains why the block content at `pos` is not a JSON object (never echoes the content).
[[noreturn]] void fail_not_json(std::string_view s, size_t pos, const MarkerJsonDialect &dialect) {
    if (pos >= s.size()) fail(incomplete(dialect, "the output ended after <tool_call>"));
    if (starts_at(s, pos, kEndMarker)) fail("empty tool call block; " + std::string(kShapeHint));
    if (starts_at(s, pos, kFence)) fail("markdown fences are not allowed inside <tool_call>; " + std::string(kShapeHint));
    if (s[pos] == '[')
        fail("a tool call must be one JSON object, not a JSON array; " + std::string(kShapeHint));
    size_t end = pos;
    while (end < s.size() && !is_space(s[end]) && s[end] != '(' && s[end] != '{' && s[end] != '<') ++end;
    if (end > pos && end < s.size() && s[end] == '(')
        fail("function-call syntax TOOL_NAME(...) is not supported; " + std::string(kShapeHint));
    if (end > pos && end < s.size() && s[end] == '{')
        fail("a tool name followed by a JSON object is not supported; " + std::string(kShapeHint));
    fail("expected a JSON object after <tool_call>; " + std::string(kShapeHint));
}

ParsedToolCall call_from(const json::Value &value, const MarkerJsonDialect &dialect) {
    if (!value.is_object())
        fail(std::string("each tool call must be a JSON object, got ") + json::kind_name(value.kind()));
    const json::Value *name = value.find("name");
    if (!name || !name->is_string()) fail(R"(the tool call JSON object needs a "name" string; )" + std::string(kShapeHint));
    const json::Value *arguments = value.find("arguments");
    if (!arguments) {
        if (value.find("parameters"))
            fail(R"(put the tool arguments under the key "arguments", not "parameters")");
        fail(R"(the tool call JSON object needs an "arguments" object; )" + std::string(kShapeHint));
    }
    if (arguments->is_object()) return {name->as_string(), json::dump(*arguments)};
    if (arguments->is_string() && dialect.lenient) {
        try {
            const json::Value inner = json::parse(arguments->as_string());
            if (inner.is_object()) return {name->as_string(), json::dump(inner)};
        } catch (const json::ParseError &) {
            // Not JSON text: reported below like any other non-object value.
        }
    }
    fail(std::string(R"("arguments" must be a JSON object, got )") + json::kind_name(arguments->kind()));
}

// Reads the JSON value at `pos` (an object, or in the lenient dialect an array of objects) and
// appends its calls. Returns the offset just past the value.
size_t read_json_calls(std::string_view s, size_t pos, const MarkerJsonDialect &dialect,
                       std::vector<ParsedToolCall> &calls) {
    if (pos >= s.size() || !(s[pos] == '{' || (dialect.lenient && s[pos] == '['))) fail_not_json(s, pos, dialect);
    const size_t block_end = s.find(kEndMarker, pos);
    size_t end = balanced_end(s, pos, block_end == std::string_view::npos ? s.size() : block_end);
    if (end == std::string_view::npos && block_end != std::string_view::npos) {
        // A string value may itself contain "</tool_call>": the object counts only when it then
        // closes right before a later "</tool_call>".
        const size_t wider = balanced_end(s, pos, s.size());
        if (wider != std::string_view::npos && starts_at(s, skip_space(s, wider), kEndMarker)) end = wider;
    }
    if (end == std::string_view::npos) {
        if (block_end == std::string_view::npos) fail(incomplete(dialect, "the output ended inside the JSON object"));
        fail("the tool call JSON is not closed before </tool_call>");
    }
    json::Value value;
    try {
        value = json::parse(s.substr(pos, end - pos));
    } catch (const json::ParseError &e) {
        fail(std::string("tool call JSON is invalid: ") + e.what());
    }
    if (value.is_array()) {
        if (value.as_array().empty()) fail("a tool call array must not be empty; " + std::string(kShapeHint));
        for (const auto &element : value.as_array()) calls.push_back(call_from(element, dialect));
    } else {
        calls.push_back(call_from(value, dialect));
    }
    return end;
}

// Reads one block whose content starts at `pos` (just after `<tool_call>`); returns the offset
// where normal text resumes.
size_t read_block(std::string_view s, size_t pos, const MarkerJsonDialect &dialect, std::vector<ParsedToolCall> &calls) {
    if (dialect.newline_after_marker) {
        if (pos >= s.size()) fail(incomplete(dialect, "the output ended after <tool_call>"));
        if (s[pos] != '\n') fail("a newline must follow <tool_call> in the " + std::string(dialect.label) + " format");
        ++pos;
    }
    pos = skip_space(s, pos);
    if (dialect.lenient && starts_at(s, pos, kFence)) {
        pos += kFence.size();
        while (pos < s.size() && !is_space(s[pos]) && s[pos] != '{' && s[pos] != '[') ++pos;  // language tag
        pos = skip_space(s, pos);
    }
    pos = read_json_calls(s, pos, dialect, calls);
    for (;;) {
        pos = skip_space(s, pos);
        if (pos >= s.size()) {
            if (dialect.lenient) return pos;
            fail(incomplete(dialect, "</tool_call> is missing"));
        }
        if (starts_at(s, pos, kEndMarker)) return pos + kEndMarker.size();
        if (dialect.lenient) {
            if (starts_at(s, pos, kStartMarker)) return pos;
            if (starts_at(s, pos, kFence)) {
                pos += kFence.size();
                continue;
            }
            if (s[pos] == '{' || s[pos] == '[') {
                pos = read_json_calls(s, pos, dialect, calls);
                continue;
            }
            if (const size_t tag = closing_tag_length(s, pos)) {
                pos += tag;
                continue;
            }
        }
        fail("unexpected text after the tool call JSON object; close each call with </tool_call>");
    }
}

}  // namespace

ToolCallBlock block_at(std::string_view output, size_t marker) {
    const size_t body_start = marker + kStartMarker.size();
    const size_t close = output.find(kEndMarker, body_start);
    const size_t next = output.find(kStartMarker, body_start);
    const bool closed = close != std::string_view::npos && (next == std::string_view::npos || close < next);
    const size_t body_end = closed ? close : (next == std::string_view::npos ? output.size() : next);
    return {output.substr(body_start, body_end - body_start), closed, closed ? close + kEndMarker.size() : body_end};
}

ParsedOutput parse_marker_wrapped_json(std::string_view output, const MarkerJsonDialect &dialect) {
    ParsedOutput parsed;
    size_t pos = 0;
    while (pos < output.size()) {
        const size_t marker = output.find(kStartMarker, pos);
        if (marker == std::string_view::npos) {
            parsed.text.append(output.substr(pos));
            break;
        }
        parsed.text.append(output.substr(pos, marker - pos));
        pos = read_block(output, marker + kStartMarker.size(), dialect, parsed.calls);
    }
    return parsed;
}

}  // namespace vep::tools
