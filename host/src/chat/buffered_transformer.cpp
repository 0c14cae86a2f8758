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
    if (choice.finish_reason) finish_reason_ = choice.finish_reason;
    if (content_.size() + reasoning_.size() > max_bytes_)
        throw ProxyError::of("upstream_response_too_large",
                             "the answer is larger than limits.max_buffered_answer_bytes (" + std::to_string(max_bytes_) +
                                 " bytes); ask for a streamed answer");
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
    if (tool_calls.empty()) c.content = std::string_view(content_);
    c.reasoning_content = reasoning_;
    c.tool_calls = tool_calls;
    if (!tool_calls.empty()) c.finish_reason = "tool_calls";
    else if (finish_reason_) c.finish_reason = *finish_reason_;
    else c.finish_reason = "stop";
    c.usage = usage_ ? &*usage_ : nullptr;
    return build_completion_body(c);
}

}  // namespace vep::host
