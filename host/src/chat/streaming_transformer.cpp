// See streaming_transformer.hpp.
#include "chat/streaming_transformer.hpp"

#include "errors/proxy_error.hpp"

namespace vep::host {

StreamingTransformer::StreamingTransformer(std::string request_model, bool include_usage, bool require_content)
    : fallback_(std::move(request_model)), include_usage_(include_usage), require_content_(require_content) {}

std::vector<std::string> StreamingTransformer::on_choice(const DecryptedChoice &choice) {
    std::vector<std::string> out;
    const ResponseIdentity identity = identity_for(choice.identity, fallback_);
    const bool has_fields = choice.content || choice.reasoning_content || choice.tool_calls;
    if (has_fields) {
        any_content_ = true;
        ChunkDelta delta;
        delta.role = !role_sent_;
        role_sent_ = true;
        if (choice.reasoning_content) delta.reasoning_content = *choice.reasoning_content;
        if (choice.content) delta.content = *choice.content;
        if (choice.tool_calls) delta.native_tool_calls = &*choice.tool_calls;
        out.push_back(build_stream_chunk(identity, choice.index, delta, std::nullopt));
    }
    if (choice.finish_reason) {
        out.push_back(build_stream_chunk(identity, choice.index, ChunkDelta{}, *choice.finish_reason));
        finish_sent_ = true;
    }
    return out;
}

std::vector<std::string> StreamingTransformer::on_usage(const upstream_event::UsageOnly &usage) const {
    if (!include_usage_) return {};
    return {build_usage_chunk(identity_for(usage.identity, fallback_), usage.usage)};
}

std::vector<std::string> StreamingTransformer::on_done() {
    if (require_content_ && !any_content_)
        throw ProxyError::of("e2ee_response_decryption_failed",
                             "failed to decrypt Venice E2EE response chunk: the response carried no encrypted content");
    if (finish_sent_) return {};
    finish_sent_ = true;
    return {build_stream_chunk(fallback_.plain(), 0, ChunkDelta{}, std::string_view("stop"))};
}

}  // namespace vep::host
