// BufferedTransformer: decrypted upstream events -> one chat.completion body for a client that did
// not ask to stream: first id/created/model seen, constant choice index, concatenated content and
// reasoning (bounded by limits.max_buffered_answer_bytes), native tool calls assembled from their
// deltas by index (tee-only answers, bounded likewise), last finish_reason (default "stop"),
// upstream usage, and fail-closed when no encrypted content arrived. Pure; used by the buffered
// responders (the tool path classifies content(), the structured path validates it).
#pragma once

#include <optional>
#include <string>

#include "chat/response_identity.hpp"
#include "chat/upstream_decoder.hpp"

namespace vep::host {

class BufferedTransformer {
  public:
    BufferedTransformer(std::string request_model, bool require_content, uint64_t max_bytes);

    // Throws ProxyError upstream_response_too_large past `max_bytes` of content and reasoning.
    void on_choice(const DecryptedChoice &choice);
    void on_usage(const upstream_event::UsageOnly &usage);
    // Throws ProxyError when content was required and none arrived.
    void check_complete() const;

    const std::string &content() const { return content_; }
    // The answer text the body carries instead of what arrived (the structured responder's
    // validated JSON).
    void replace_content(std::string content) { content_ = std::move(content); }
    // The completion body with `content` as the message, or with `tool_calls` when non-empty, or
    // with the native tool calls the upstream sent.
    std::string body(const std::vector<OutgoingToolCall> &tool_calls = {}) const;

  private:
    // Adds one delta.tool_calls array to native_calls_ (by index; id, name and arguments pieces).
    void add_native_tool_calls(const json::Value &deltas);

    FallbackIdentity fallback_;
    bool require_content_;
    uint64_t max_bytes_;
    std::optional<std::string> id_, model_;
    std::optional<int64_t> created_;
    std::optional<uint64_t> index_;
    std::string content_;
    std::string reasoning_;
    std::optional<std::string> finish_reason_;
    std::vector<OutgoingToolCall> native_calls_;
    size_t native_bytes_ = 0;
    std::optional<json::Value> usage_;
    bool any_content_ = false;
};

}  // namespace vep::host
