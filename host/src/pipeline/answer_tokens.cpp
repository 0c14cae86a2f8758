// See answer_tokens.hpp.
#include "pipeline/answer_tokens.hpp"

namespace vep::host {
namespace {

constexpr uint64_t kBytesPerToken = 4;

}  // namespace

void AnswerTokens::observe(const DecryptedEvent &event) {
    if (const auto *usage = std::get_if<upstream_event::UsageOnly>(&event)) {
        const json::Value *tokens = usage->usage.is_object() ? usage->usage.find("completion_tokens") : nullptr;
        uint64_t n = 0;
        if (tokens && tokens->get_u64(n)) {
            reported_ = n;
            has_report_ = true;
        }
        return;
    }
    if (const auto *choice = std::get_if<DecryptedChoice>(&event)) {
        if (choice->content) text_bytes_ += choice->content->size();
        if (choice->reasoning_content) text_bytes_ += choice->reasoning_content->size();
    }
}

void AnswerTokens::next_attempt() {
    settled_ = total();
    reported_ = 0;
    has_report_ = false;
    text_bytes_ = 0;
}

uint64_t AnswerTokens::total() const {
    return settled_ + (has_report_ ? reported_ : (text_bytes_ + kBytesPerToken - 1) / kBytesPerToken);
}

}  // namespace vep::host
