// See chat_output.hpp.
#include "frontend/chat_output.hpp"

#include "errors/proxy_error.hpp"

namespace vep::host {
namespace {

[[noreturn]] void unreadable(const std::string &what) {
    throw ProxyError::of("internal_error", "the chat answer could not be reshaped: " + what);
}

json::Value parse_output(std::string_view text) {
    try {
        json::Value value = json::parse(text);
        if (!value.is_object()) unreadable("not a JSON object");
        return value;
    } catch (const json::ParseError &e) {
        unreadable(e.what());
    }
}

std::optional<std::string> string_member(const json::Value &object, std::string_view key) {
    const json::Value *v = object.find(key);
    if (v == nullptr || !v->is_string()) return std::nullopt;
    return v->as_string();
}

void read_identity(const json::Value &root, ChatOutput &out) {
    out.id = string_member(root, "id").value_or("");
    out.model = string_member(root, "model").value_or("");
    if (const json::Value *created = root.find("created")) (void)created->get_i64(out.created);
    if (const json::Value *usage = root.find("usage"); usage && usage->is_object()) out.usage = *usage;
}

void read_tool_calls(const json::Value *calls, ChatOutput &out) {
    if (calls == nullptr || !calls->is_array()) return;
    for (const auto &call : calls->as_array()) {
        const json::Value *function = call.find("function");
        if (function == nullptr) unreadable("a tool call without function");
        out.tool_calls.push_back({string_member(call, "id").value_or(""), string_member(*function, "name").value_or(""),
                                  string_member(*function, "arguments").value_or("{}")});
    }
}

// The first choice of `root` (chunks and completions carry one), or nullptr.
const json::Value *first_choice(const json::Value &root) {
    const json::Value *choices = root.find("choices");
    if (choices == nullptr || !choices->is_array() || choices->as_array().empty()) return nullptr;
    return &choices->as_array().front();
}

}  // namespace

ChatOutput read_chat_chunk(std::string_view chunk_json) {
    const json::Value root = parse_output(chunk_json);
    ChatOutput out;
    read_identity(root, out);
    const json::Value *choice = first_choice(root);
    if (choice == nullptr) return out;
    out.finish_reason = string_member(*choice, "finish_reason");
    if (const json::Value *delta = choice->find("delta"); delta && delta->is_object()) {
        out.content = string_member(*delta, "content");
        out.reasoning = string_member(*delta, "reasoning_content");
        read_tool_calls(delta->find("tool_calls"), out);
    }
    return out;
}

ChatOutput read_chat_completion(std::string_view completion_json) {
    const json::Value root = parse_output(completion_json);
    ChatOutput out;
    read_identity(root, out);
    const json::Value *choice = first_choice(root);
    if (choice == nullptr) unreadable("a completion without a choice");
    out.finish_reason = string_member(*choice, "finish_reason");
    if (const json::Value *message = choice->find("message"); message && message->is_object()) {
        out.content = string_member(*message, "content");
        out.reasoning = string_member(*message, "reasoning_content");
        read_tool_calls(message->find("tool_calls"), out);
    }
    return out;
}

TokenCounts token_counts(const json::Value &usage) {
    TokenCounts out;
    auto count = [](const json::Value *parent, std::string_view key, uint64_t &into) {
        if (parent == nullptr) return;
        if (const json::Value *v = parent->find(key)) (void)v->get_u64(into);
    };
    count(&usage, "prompt_tokens", out.input);
    count(&usage, "completion_tokens", out.output);
    count(usage.find("completion_tokens_details"), "reasoning_tokens", out.reasoning);
    count(usage.find("prompt_tokens_details"), "cached_tokens", out.cached);
    return out;
}

}  // namespace vep::host
