// See messages_request.hpp.
#include "frontend/messages_request.hpp"

#include <algorithm>
#include <array>

#include "frontend/chat_request_builder.hpp"

namespace vep::host {
namespace {

using namespace translation;

constexpr std::array<std::string_view, 18> kTopLevelKeys = {
    "model",       "messages",       "system",   "max_tokens", "stop_sequences", "temperature",
    "top_p",       "top_k",          "stream",   "tools",      "tool_choice",    "thinking",
    "metadata",    "output_config",  "context_management", "service_tier", "container", "mcp_servers"};

// A string, or text blocks joined by blank lines (system prompts, tool results, user text).
std::string text_of(const json::Value &content, const std::string &path) {
    return joined_text(content, path, "content block", [](const json::Value &block, const std::string &block_path) {
        const std::string &type = required_string(block, "type", block_path);
        if (type != "text")
            unsupported_content(block_path, "block type " + quoted(type) + " is not supported here; only text is");
        return required_string(block, "text", block_path);
    });
}

void add_user_turn(const json::Value &content, const std::string &path, ChatRequestBuilder &chat) {
    if (content.is_string()) {
        chat.add_message("user", content.as_string());
        return;
    }
    if (!content.is_array()) invalid(path + " must be a string or an array of content blocks, got " + kind(content));
    // Tool results first (they answer the assistant turn before), then the user's text.
    std::string text;
    for_each_object(content, path, [&](const json::Value &block, const std::string &block_path) {
        const std::string &type = required_string(block, "type", block_path);
        if (type == "text") {
            append_paragraph(text, required_string(block, "text", block_path));
        } else if (type == "tool_result") {
            std::string result;
            if (const json::Value *c = present(block, "content")) result = text_of(*c, block_path + ".content");
            if (const json::Value *is_error = present(block, "is_error"); is_error && is_error->is_bool() &&
                                                                          is_error->as_bool())
                result = "Error: " + result;
            chat.add_tool_result(required_string(block, "tool_use_id", block_path), std::move(result));
        } else {
            unsupported_content(block_path, "block type " + quoted(type) +
                                                " is not supported; user turns take text and tool_result blocks");
        }
    });
    if (!text.empty()) chat.add_message("user", std::move(text));
}

void add_assistant_turn(const json::Value &content, const std::string &path, ChatRequestBuilder &chat) {
    if (content.is_string()) {
        if (!content.as_string().empty()) chat.add_message("assistant", content.as_string());
        return;
    }
    if (!content.is_array()) invalid(path + " must be a string or an array of content blocks, got " + kind(content));
    std::string text;
    for_each_object(content, path, [&](const json::Value &block, const std::string &block_path) {
        const std::string &type = required_string(block, "type", block_path);
        if (type == "text") append_paragraph(text, required_string(block, "text", block_path));
        else if (type != "tool_use" && type != "thinking" && type != "redacted_thinking")
            unsupported_content(block_path, "block type " + quoted(type) +
                                                " is not supported; assistant turns take text, tool_use and thinking");
    });
    // Earlier thinking is not replayed to the model (as in chat completions).
    if (!text.empty()) chat.add_message("assistant", std::move(text));
    for_each_object(content, path, [&](const json::Value &block, const std::string &block_path) {
        if (required_string(block, "type", block_path) != "tool_use") return;
        const json::Value *input = block.find("input");
        if (input == nullptr || !input->is_object()) invalid(block_path + ".input must be an object");
        chat.add_tool_call(required_string(block, "id", block_path), required_string(block, "name", block_path),
                           json::dump(*input));
    });
}

void add_messages(const json::Value &messages, ChatRequestBuilder &chat) {
    if (!messages.is_array()) invalid("messages must be an array, got " + kind(messages));
    for_each_object(messages, "messages", [&](const json::Value &message, const std::string &path) {
        const std::string &role = required_string(message, "role", path);
        const json::Value *content = message.find("content");
        if (content == nullptr) invalid(path + ".content is required");
        if (role == "user") add_user_turn(*content, path + ".content", chat);
        else if (role == "assistant") add_assistant_turn(*content, path + ".content", chat);
        else if (role == "system") chat.add_message("system", text_of(*content, path + ".content"));
        else throw ProxyError::of("unsupported_message_role", "unsupported message role " + quoted(role) + " at " + path);
    });
}

json::Value chat_tools(const json::Value &tools) {
    if (!tools.is_array()) invalid("tools must be an array, got " + kind(tools));
    json::Value out = json::Value::array();
    for_each_object(tools, "tools", [&](const json::Value &tool, const std::string &path) {
        if (const json::Value *type = present(tool, "type"); type && !(type->is_string() && type->as_string() == "custom"))
            unsupported("tools", path + " is a server tool (" +
                                     (type->is_string() ? quoted(type->as_string()) : kind(*type)) +
                                     "); only client tools with input_schema are supported");
        const json::Value *schema = present(tool, "input_schema");
        if (schema == nullptr) invalid(path + ".input_schema is required");
        out.push_back(ChatRequestBuilder::function_tool(required_string(tool, "name", path), present(tool, "description"),
                                                        schema));
    });
    return out;
}

void copy_tool_choice(const json::Value &choice, ChatRequestBuilder &chat) {
    const json::Value *type = choice.find("type");
    if (!choice.is_object() || type == nullptr || !type->is_string())
        invalid("tool_choice must be an object with a type (auto, any, tool or none)");
    const std::string &kind_name = type->as_string();
    if (kind_name == "auto") chat.set("tool_choice", "auto");
    else if (kind_name == "any") chat.set("tool_choice", "required");
    else if (kind_name == "none") chat.set("tool_choice", "none");
    else if (kind_name == "tool") chat.set("tool_choice", ChatRequestBuilder::named_tool_choice(required_string(choice, "name", "tool_choice")));
    else {
        invalid("tool_choice.type must be auto, any, tool or none, got " + quoted(kind_name));
    }
    if (const json::Value *one = present(choice, "disable_parallel_tool_use"); one && one->is_bool())
        chat.set("parallel_tool_calls", !one->as_bool());
}

void refuse_unsupported(const json::Value &body) {
    for (const auto &member : body.as_object())
        if (std::find(kTopLevelKeys.begin(), kTopLevelKeys.end(), member.first) == kTopLevelKeys.end())
            throw ProxyError::of("unsupported_request_field", "unsupported request field " + member.first);
    if (present(body, "top_k")) unsupported("top_k", "Venice's chat API has no top_k");
    if (present(body, "container")) unsupported("container", "the proxy runs no code containers");
    if (const json::Value *mcp = present(body, "mcp_servers"); mcp && !(mcp->is_array() && mcp->as_array().empty()))
        unsupported("mcp_servers", "the proxy connects to no MCP servers");
    if (const json::Value *config = present(body, "output_config"))
        if (present(*config, "format")) unsupported("output_config.format", "structured output is not supported here");
}

void copy_thinking(const json::Value &body, ChatRequestBuilder &chat) {
    const json::Value *thinking = present(body, "thinking");
    if (thinking == nullptr) return;
    const json::Value *type = thinking->find("type");
    if (!thinking->is_object() || type == nullptr || !type->is_string())
        invalid("thinking must be an object with a type (enabled, adaptive or disabled)");
    if (type->as_string() == "disabled") {
        json::Value venice = json::Value::object();
        venice.set("disable_thinking", true);
        chat.set("venice_parameters", std::move(venice));
    } else if (type->as_string() != "enabled" && type->as_string() != "adaptive") {
        invalid("thinking.type must be enabled, adaptive or disabled, got " + quoted(type->as_string()));
    }
}

}  // namespace

TranslatedRequest translate_messages_request(std::string_view text) {
    const json::Value body = parse_object(text);
    refuse_unsupported(body);
    TranslatedRequest out;
    ChatRequestBuilder chat;
    out.model = chat.copy_model(body);
    if (const json::Value *system = present(body, "system")) chat.add_message("system", text_of(*system, "system"));
    const json::Value *messages = body.find("messages");
    if (messages == nullptr) throw ProxyError::of("invalid_request", "missing required field messages");
    add_messages(*messages, chat);
    out.stream = chat.copy_stream(body);
    if (const json::Value *tools = present(body, "tools")) chat.set_tools(chat_tools(*tools));
    if (const json::Value *choice = present(body, "tool_choice")) copy_tool_choice(*choice, chat);
    for (const char *key : {"max_tokens", "temperature", "top_p"})
        if (const json::Value *v = present(body, key)) chat.set(key, *v);
    if (const json::Value *stop = present(body, "stop_sequences")) chat.set("stop", *stop);
    copy_thinking(body, chat);
    out.chat_body = chat.body();
    return out;
}

uint64_t estimate_input_tokens(std::string_view body) {
    const TranslatedRequest translated = translate_messages_request(body);
    return std::max<uint64_t>(1, (translated.chat_body.size() + 3) / 4);
}

}  // namespace vep::host
