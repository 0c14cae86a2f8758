#include "openai/chat_message_parser.hpp"

#include <array>
#include <string_view>

#include "openai/request_errors.hpp"
#include "openai/unicode_trim.hpp"

namespace vep::host {
namespace {

using namespace request_errors;

constexpr std::array<std::string_view, 3> kPlainMessageKeys = {"role", "content", "name"};
constexpr std::array<std::string_view, 7> kAssistantKeys = {"role",      "content",          "tool_calls", "name",
                                                            "refusal",   "reasoning_content", "annotations"};
constexpr std::array<std::string_view, 3> kToolMessageKeys = {"role", "tool_call_id", "content"};
constexpr std::array<std::string_view, 2> kTextPartKeys = {"type", "text"};
constexpr std::array<std::string_view, 3> kToolCallKeys = {"id", "type", "function"};
constexpr std::array<std::string_view, 2> kToolCallFunctionKeys = {"name", "arguments"};

// OpenAI's optional participant `name`: accepted (a string) and not forwarded.
void check_participant_name(const json::Value &message) {
    const json::Value *name = message.find("name");
    if (name != nullptr && !name->is_string()) invalid_field("name", "expected string, got " + kind_of(*name));
}

// Members OpenAI SDKs copy back from a previous answer (`refusal`, `reasoning_content`,
// `annotations`): accepted with their response types and not forwarded — earlier reasoning is not
// sent back to the model.
void check_echoed_answer_fields(const json::Value &message) {
    for (const char *key : {"refusal", "reasoning_content"}) {
        const json::Value *v = message.find(key);
        if (v != nullptr && !v->is_string() && !v->is_null())
            invalid_field(key, "expected string or null, got " + kind_of(*v));
    }
    const json::Value *annotations = message.find("annotations");
    if (annotations != nullptr && !annotations->is_array() && !annotations->is_null())
        invalid_field("annotations", "expected array or null, got " + kind_of(*annotations));
}

std::string text_part(const json::Value &part, const std::string &path) {
    const std::string prefix = "text content part must match {type:\"text\", text:string}: ";
    if (!part.is_object()) unsupported_content(path, prefix + "expected an object, got " + kind_of(part));
    const json::Value *type = part.find("type");
    if (type != nullptr && type->is_string() && type->as_string() != "text")
        unsupported_content(path, "content part type " + quoted(type->as_string()) +
                                      " is not supported; only text parts are accepted");
    if (const auto key = first_unknown_key(part, kTextPartKeys))
        unsupported_content(path, prefix + unknown_field_detail(*key, kTextPartKeys));
    if (type == nullptr) unsupported_content(path, prefix + "missing field `type`");
    if (!type->is_string()) unsupported_content(path, prefix + "type: expected string, got " + kind_of(*type));
    const json::Value *text = part.find("text");
    if (text == nullptr) unsupported_content(path, prefix + "missing field `text`");
    if (!text->is_string()) unsupported_content(path, prefix + "text: expected string, got " + kind_of(*text));
    return text->as_string();
}

// Content as one string; nullopt for null/absent when `allow_missing` (assistant messages).
std::optional<std::string> content_text(const json::Value *content, const std::string &path, bool allow_missing) {
    if (content == nullptr) {
        if (allow_missing) return std::nullopt;
        unsupported_content(path, "content is required");
    }
    switch (content->kind()) {
    case json::Kind::String: return content->as_string();
    case json::Kind::Null:
        if (allow_missing) return std::nullopt;
        unsupported_content(path, "null content is only supported for assistant messages with tool_calls");
    case json::Kind::Array: {
        const auto &parts = content->as_array();
        if (parts.empty()) unsupported_content(path, "content parts array must not be empty");
        std::string text;
        for (size_t i = 0; i < parts.size(); ++i) text += text_part(parts[i], path + "[" + std::to_string(i) + "]");
        return text;
    }
    default:
        unsupported_content(path, "expected a string or text-only content parts array, got " + kind_of(*content));
    }
}

// Shape check of one history entry (serde's typed view: exact keys, all strings).
void check_tool_call_shape(const json::Value &call, const std::string &path) {
    const std::string prefix = "assistant tool_calls must be an array of supported function tool call objects: ";
    if (!call.is_object()) invalid_tool_history(prefix + path + ": expected an object, got " + kind_of(call));
    if (const auto key = first_unknown_key(call, kToolCallKeys))
        invalid_tool_history(prefix + path + ": " + unknown_field_detail(*key, kToolCallKeys));
    for (std::string_view key : {"id", "type"}) {
        const json::Value *v = call.find(key);
        if (v == nullptr) invalid_tool_history(prefix + path + ": missing field `" + str(key) + "`");
        if (!v->is_string())
            invalid_tool_history(prefix + path + "." + str(key) + ": expected string, got " + kind_of(*v));
    }
    const json::Value *function = call.find("function");
    if (function == nullptr) invalid_tool_history(prefix + path + ": missing field `function`");
    if (!function->is_object())
        invalid_tool_history(prefix + path + ".function: expected an object, got " + kind_of(*function));
    if (const auto key = first_unknown_key(*function, kToolCallFunctionKeys))
        invalid_tool_history(prefix + path + ".function: " + unknown_field_detail(*key, kToolCallFunctionKeys));
    for (std::string_view key : kToolCallFunctionKeys) {
        const json::Value *v = function->find(key);
        if (v == nullptr) invalid_tool_history(prefix + path + ".function: missing field `" + str(key) + "`");
        if (!v->is_string())
            invalid_tool_history(prefix + path + ".function." + str(key) + ": expected string, got " + kind_of(*v));
    }
}

void check_tool_call_values(const json::Value &call) {
    if (is_blank(call.find("id")->as_string())) invalid_tool_history("tool_call.id must not be empty");
    const std::string &type = call.find("type")->as_string();
    if (type != "function") invalid_tool_history("only function tool calls are supported, got " + quoted(type));
    const json::Value &function = *call.find("function");
    if (is_blank(function.find("name")->as_string())) invalid_tool_history("tool_call.function.name must not be empty");
    const std::string &arguments = function.find("arguments")->as_string();
    if (is_blank(arguments)) invalid_tool_history("tool_call.function.arguments must not be empty");
    try {
        (void)json::parse(arguments);
    } catch (const json::ParseError &e) {
        invalid_tool_history(std::string("tool_call.function.arguments must be valid JSON: ") + e.what());
    }
}

// The validated tool_calls array, or nullopt when the key is absent.
std::optional<json::Value> tool_call_history(const json::Value *tool_calls) {
    if (tool_calls == nullptr) return std::nullopt;
    if (!tool_calls->is_array()) invalid_tool_history("assistant tool_calls must be an array");
    const auto &calls = tool_calls->as_array();
    for (size_t i = 0; i < calls.size(); ++i) check_tool_call_shape(calls[i], "tool_calls[" + std::to_string(i) + "]");
    if (calls.empty()) invalid_tool_history("assistant tool_calls must not be empty when provided");
    for (const auto &call : calls) check_tool_call_values(call);
    return *tool_calls;
}

ChatMessage parse_message(size_t index, const json::Value &value) {
    if (!value.is_object()) invalid_field("messages", "message " + std::to_string(index) + " must be an object");
    const std::string &role = required_non_blank_string(value, "role");
    const std::string content_path = "messages[" + std::to_string(index) + "].content";
    ChatMessage message;
    message.role = role;
    if (role == "system" || role == "developer" || role == "user") {
        reject_unknown_keys(value, kPlainMessageKeys);
        check_participant_name(value);
        message.text = *content_text(value.find("content"), content_path, false);
    } else if (role == "assistant") {
        reject_unknown_keys(value, kAssistantKeys);
        check_participant_name(value);
        check_echoed_answer_fields(value);
        std::optional<std::string> content = content_text(value.find("content"), content_path, true);
        message.tool_calls = tool_call_history(value.find("tool_calls"));
        if ((!content || content->empty()) && !message.tool_calls)
            invalid_field("messages",
                          "assistant messages must include string content or a supported tool_calls history entry");
        message.text = content.value_or(std::string());
    } else if (role == "tool") {
        reject_unknown_keys(value, kToolMessageKeys);
        message.tool_call_id = required_non_blank_string(value, "tool_call_id");
        message.text = *content_text(value.find("content"), content_path, false);
    } else {
        throw ProxyError::of("unsupported_message_role", "unsupported message role " + quoted(role));
    }
    return message;
}

}  // namespace

std::vector<ChatMessage> parse_chat_messages(const json::Value &messages) {
    if (!messages.is_array()) invalid_field("messages", "messages must be an array");
    const auto &entries = messages.as_array();
    if (entries.empty()) invalid_field("messages", "messages must include at least one message");
    std::vector<ChatMessage> out;
    out.reserve(entries.size());
    for (size_t i = 0; i < entries.size(); ++i) out.push_back(parse_message(i, entries[i]));
    return out;
}

}  // namespace vep::host
