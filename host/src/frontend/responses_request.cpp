// See responses_request.hpp.
#include "frontend/responses_request.hpp"

#include <algorithm>
#include <array>

#include "frontend/chat_request_builder.hpp"

namespace vep::host {
namespace {

using namespace translation;

constexpr std::array<std::string_view, 27> kTopLevelKeys = {
    "model", "input", "instructions", "tools", "tool_choice", "parallel_tool_calls", "max_output_tokens",
    "temperature", "top_p", "stream", "stream_options", "store", "previous_response_id", "conversation", "include",
    "reasoning", "metadata", "user", "safety_identifier", "prompt_cache_key", "client_metadata", "service_tier",
    "truncation", "text", "background", "max_tool_calls", "top_logprobs"};
// Tools that run at OpenAI, not in the client: the proxy has none of them, so they are not
// offered to the model (Codex lists web_search even when it is switched off).
constexpr std::array<std::string_view, 8> kHostedTools = {"web_search",         "web_search_preview", "file_search",
                                                          "code_interpreter",   "image_generation",
                                                          "computer_use_preview", "mcp", "local_shell"};

// Text of a message's content: a string, or input_text / output_text / refusal parts joined by
// blank lines.
std::string content_text(const json::Value &content, const std::string &path) {
    return joined_text(content, path, "content part", [](const json::Value &part, const std::string &part_path) {
        const json::Value *type = part.find("type");
        const std::string type_name = type && type->is_string() ? type->as_string() : "";
        if (type_name == "input_text" || type_name == "output_text" || type_name == "text")
            return required_string(part, "text", part_path);
        if (type_name == "refusal") return required_string(part, "refusal", part_path);
        unsupported_content(part_path, "content part type " + quoted(type_name) +
                                           " is not supported; only text parts are (E2EE models take text)");
    });
}

void add_message_item(const json::Value &item, const std::string &path, ChatRequestBuilder &chat) {
    const std::string &role = required_string(item, "role", path);
    if (role != "user" && role != "assistant" && role != "system" && role != "developer")
        throw ProxyError::of("unsupported_message_role", "unsupported message role " + quoted(role) + " at " + path);
    const json::Value *content = item.find("content");
    if (content == nullptr) invalid(path + ".content is required");
    chat.add_message(role, content_text(*content, path + ".content"));
}

// function_call_output.output: a string, or text parts.
std::string call_output_text(const json::Value &item, const std::string &path) {
    const json::Value *output = item.find("output");
    if (output == nullptr) invalid(path + ".output is required");
    return content_text(*output, path + ".output");
}

void add_input_items(const json::Value &input, ChatRequestBuilder &chat) {
    if (input.is_string()) {
        chat.add_message("user", input.as_string());
        return;
    }
    if (!input.is_array()) invalid("input must be a string or an array of items, got " + kind(input));
    for_each_object(input, "input", [&](const json::Value &item, const std::string &path) {
        const json::Value *type = item.find("type");
        const std::string type_name = type && type->is_string() ? type->as_string() : "message";
        if (type_name == "message") {
            add_message_item(item, path, chat);
        } else if (type_name == "function_call") {
            chat.add_tool_call(required_string(item, "call_id", path), required_string(item, "name", path),
                               required_string(item, "arguments", path));
        } else if (type_name == "function_call_output") {
            chat.add_tool_result(required_string(item, "call_id", path), call_output_text(item, path));
        } else if (type_name == "reasoning") {
            // Earlier reasoning is not sent back to the model (as in chat completions); the proxy
            // never made encrypted reasoning a client could hand back.
        } else if (type_name == "item_reference") {
            unsupported("input", path + " is an item_reference; the proxy stores no items: send the item itself");
        } else {
            unsupported("input", path + " has type " + quoted(type_name) +
                                     "; supported: message, function_call, function_call_output, reasoning");
        }
    });
}

json::Value chat_tools(const json::Value &tools) {
    if (!tools.is_array()) invalid("tools must be an array, got " + kind(tools));
    json::Value out = json::Value::array();
    for_each_object(tools, "tools", [&](const json::Value &tool, const std::string &path) {
        const std::string &type = required_string(tool, "type", path);
        if (std::find(kHostedTools.begin(), kHostedTools.end(), type) != kHostedTools.end()) return;
        if (type != "function")
            unsupported("tools", path + " has type " + quoted(type) + "; only function tools are supported");
        out.push_back(ChatRequestBuilder::function_tool(required_string(tool, "name", path), present(tool, "description"),
                                                        present(tool, "parameters")));
    });
    return out;
}

json::Value chat_tool_choice(const json::Value &choice) {
    if (choice.is_string()) return choice;  // auto, none, required: checked by the chat parser
    const json::Value *type = choice.find("type");
    if (!choice.is_object() || type == nullptr || !type->is_string())
        invalid("tool_choice must be \"auto\", \"none\", \"required\" or {\"type\":\"function\",\"name\":...}");
    if (type->as_string() != "function")
        unsupported("tool_choice", "type " + quoted(type->as_string()) + " is not supported; only function tools are");
    return ChatRequestBuilder::named_tool_choice(required_string(choice, "name", "tool_choice"));
}

void refuse_stateful_fields(const json::Value &body) {
    if (present(body, "previous_response_id"))
        unsupported("previous_response_id",
                    "the proxy stores no responses (store is not supported); send the whole conversation in `input`");
    if (present(body, "conversation"))
        unsupported("conversation", "the proxy stores no conversations; send the whole conversation in `input`");
    if (const json::Value *store = present(body, "store"); store && (!store->is_bool() || store->as_bool()))
        unsupported("store", "the proxy keeps no server-side state; send store: false (or leave it out)");
    if (const json::Value *background = present(body, "background"); background && background->is_bool() &&
                                                                      background->as_bool())
        unsupported("background", "background responses need server-side state, which the proxy does not keep");
    if (const json::Value *include = present(body, "include")) {
        if (!include->is_array()) invalid("include must be an array of strings");
        for (const auto &entry : include->as_array()) {
            // Accepted: the proxy never has encrypted reasoning, so there is none to include.
            if (entry.is_string() && entry.as_string() == "reasoning.encrypted_content") continue;
            unsupported("include", "only \"reasoning.encrypted_content\" is accepted, got " +
                                       (entry.is_string() ? quoted(entry.as_string()) : kind(entry)));
        }
    }
}

// text.format -> response_format: {type: json_schema, name, schema, strict, description} becomes
// chat's {type: json_schema, json_schema: {name, schema, strict, description}}; text and
// json_object pass as they are. The chat parser validates the result.
void copy_text_format(const json::Value &body, ChatRequestBuilder &chat) {
    const json::Value *text = present(body, "text");
    if (text == nullptr) return;
    if (!text->is_object()) invalid("text must be an object");
    const json::Value *format = present(*text, "format");
    if (format == nullptr) return;
    const json::Value *type = format->find("type");
    if (!format->is_object() || type == nullptr || !type->is_string() || type->as_string() != "json_schema") {
        json::Value response_format = *format;
        chat.set("response_format", std::move(response_format));
        return;
    }
    json::Value spec = json::Value::object();
    for (const auto &member : format->as_object())
        if (member.first != "type") spec.set(member.first, member.second);
    json::Value response_format = json::Value::object();
    response_format.set("type", "json_schema");
    response_format.set("json_schema", std::move(spec));
    chat.set("response_format", std::move(response_format));
}

}  // namespace

TranslatedRequest translate_responses_request(std::string_view text) {
    const json::Value body = parse_object(text);
    for (const auto &member : body.as_object())
        if (std::find(kTopLevelKeys.begin(), kTopLevelKeys.end(), member.first) == kTopLevelKeys.end())
            throw ProxyError::of("unsupported_request_field", "unsupported request field " + member.first);
    refuse_stateful_fields(body);

    TranslatedRequest out;
    ChatRequestBuilder chat;
    out.model = chat.copy_model(body);
    if (const json::Value *instructions = present(body, "instructions")) {
        if (!instructions->is_string()) invalid("instructions must be a string");
        chat.add_message("system", instructions->as_string());
    }
    const json::Value *input = body.find("input");
    if (input == nullptr) throw ProxyError::of("invalid_request", "missing required field input");
    add_input_items(*input, chat);

    out.stream = chat.copy_stream(body);
    if (const json::Value *tools = present(body, "tools")) chat.set_tools(chat_tools(*tools));
    if (const json::Value *choice = present(body, "tool_choice")) chat.set("tool_choice", chat_tool_choice(*choice));
    for (const char *key : {"parallel_tool_calls", "temperature", "top_p", "user", "metadata"})
        if (const json::Value *v = present(body, key)) chat.set(key, *v);
    if (const json::Value *max_output = present(body, "max_output_tokens")) chat.set("max_tokens", *max_output);
    if (const json::Value *reasoning = present(body, "reasoning")) {
        if (!reasoning->is_object()) invalid("reasoning must be an object");
        if (const json::Value *effort = present(*reasoning, "effort")) chat.set("reasoning_effort", *effort);
    }
    copy_text_format(body, chat);
    out.chat_body = chat.body();
    return out;
}

}  // namespace vep::host
