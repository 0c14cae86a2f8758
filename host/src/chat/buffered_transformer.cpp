// See buffered_transformer.hpp.
#include "chat/buffered_transformer.hpp"

#include "errors/proxy_error.hpp"

namespace vep::host {

BufferedTransformer::BufferedTransformer(std::string request_model, bool require_content, uint64_t max_bytes)
    : fallback_(std::move(request_model)), require_content_(require_content), max_bytes_(max_bytes) {}

void BufferedTransformer::on_choice(const DecryptedChoice &choice) {
    if (!id_ && choice.identity.id) id_ = choice.identity.id;
    if (!created_ && choice.identity.created) created_ = choice.identity.created;
    if (!model_ && choice.identity.model) model_ = choice.identity.model;
    if (index_ && *index_ != choice.index)
        throw ProxyError::of("upstream_malformed_response", "Venice upstream changed the choice index mid-stream");
    index_ = choice.index;
    if (choice.content) {
        content_ += *choice.content;
        any_content_ = true;
    }
    if (choice.reasoning_content) {
        reasoning_ += *choice.reasoning_content;
        any_content_ = true;
    }
    if (choice.tool_calls) add_native_tool_calls(*choice.tool_calls);
    if (choice.finish_reason) finish_reason_ = choice.finish_reason;
    if (content_.size() + reasoning_.size() + native_bytes_ > max_bytes_)
        throw ProxyError::of("upstream_response_too_large",
                             "the answer is larger than limits.max_buffered_answer_bytes (" + std::to_string(max_bytes_) +
                                 " bytes); ask for a streamed answer");
}

void BufferedTransformer::add_native_tool_calls(const json::Value &deltas) {
    for (const auto &delta : deltas.as_array()) {
        uint64_t index = native_calls_.size();
        if (const json::Value *i = delta.find("index")) {
            if (!i->get_u64(index) || index > native_calls_.size())
                throw ProxyError::of("upstream_malformed_response", "Venice upstream sent a tool call with a bad index");
        }
        if (index == native_calls_.size()) native_calls_.emplace_back();
        OutgoingToolCall &call = native_calls_[index];
        const json::Value *function = delta.find("function");
        auto text = [](const json::Value *object, std::string_view key) -> const std::string * {
            const json::Value *v = object ? object->find(key) : nullptr;
            return v && v->is_string() ? &v->as_string() : nullptr;
        };
        if (const std::string *id = text(&delta, "id")) {
            native_bytes_ += id->size();
            call.id = *id;
        }
        if (const std::string *name = text(function, "name")) {
            native_bytes_ += name->size();
            call.name += *name;
        }
        if (const std::string *arguments = text(function, "arguments")) {
            native_bytes_ += arguments->size();
            call.arguments += *arguments;
        }
    }
}

void BufferedTransformer::on_usage(const upstream_event::UsageOnly &usage) { usage_ = usage.usage; }

void BufferedTransformer::check_complete() const {
    if (require_content_ && !any_content_)
        throw ProxyError::of("e2ee_response_decryption_failed",
                             "failed to decrypt Venice E2EE response chunk: the response carried no encrypted content");
}

std::string BufferedTransformer::body(const std::vector<OutgoingToolCall> &tool_calls) const {
    BufferedCompletion c;
    c.identity = fallback_.plain();
    if (id_) c.identity.id = *id_;
    if (created_) c.identity.created = *created_;
    if (model_) c.identity.model = *model_;
    c.choice_index = index_.value_or(0);
    const std::vector<OutgoingToolCall> &calls = tool_calls.empty() ? native_calls_ : tool_calls;
    if (calls.empty()) c.content = std::string_view(content_);
    c.reasoning_content = reasoning_;
    c.tool_calls = calls;
    if (!calls.empty()) c.finish_reason = "tool_calls";
    else if (finish_reason_) c.finish_reason = *finish_reason_;
    else c.finish_reason = "stop";
    c.usage = usage_ ? &*usage_ : nullptr;
    return build_completion_body(c);
}

}  // namespace vep::host
