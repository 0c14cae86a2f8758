// ToolStreamDetector: see stream_detector.hpp.
#include "tools/stream_detector.hpp"

#include <algorithm>

#include "errors/proxy_error.hpp"

namespace vep::host::tools {
namespace {

constexpr std::string_view kStreamingPrefix = "tool call parsing failed: ";

// Length of the longest suffix of `text` that is a proper prefix of `marker`.
size_t partial_marker_length(std::string_view text, std::string_view marker) {
    const size_t longest = std::min(text.size(), marker.empty() ? 0 : marker.size() - 1);
    for (size_t n = longest; n > 0; --n)
        if (text.substr(text.size() - n) == marker.substr(0, n)) return n;
    return 0;
}

// Length of an unfinished UTF-8 sequence at the end of `text` (0 when it ends on a boundary).
size_t unfinished_utf8_length(std::string_view text) {
    const size_t look = std::min<size_t>(text.size(), 3);
    for (size_t n = 1; n <= look; ++n) {
        const auto c = static_cast<unsigned char>(text[text.size() - n]);
        if ((c & 0xC0) == 0x80) continue;  // continuation byte: keep looking for the lead
        size_t needed = 1;
        if ((c & 0xE0) == 0xC0) needed = 2;
        else if ((c & 0xF0) == 0xE0) needed = 3;
        else if ((c & 0xF8) == 0xF0) needed = 4;
        return needed > n ? n : 0;
    }
    return 0;
}

}  // namespace

ToolStreamDetector::ToolStreamDetector(const client::ToolFormatClient &format, const ToolContext &context,
                                       Attempt attempt)
    : format_(format), context_(context), attempt_(attempt) {}

bool ToolStreamDetector::holds_text() const {
    return attempt_ == Attempt::Retry || context_.require_tool_call();
}

DetectorOutput ToolStreamDetector::retry(std::string error, std::string invalid_output) {
    state_ = State::Done;
    pending_.clear();
    buffer_.clear();
    DetectorOutput out;
    out.retry = RetryRequest{std::move(error), std::move(invalid_output)};
    return out;
}

DetectorOutput ToolStreamDetector::feed(std::string_view delta) {
    DetectorOutput out;
    if (state_ == State::Done || delta.empty()) return out;
    const uint64_t max_bytes = context_.config().tool_call_max_bytes;
    if (state_ == State::Buffering) {
        buffer_.append(delta);
        if (buffer_.size() > max_bytes)
            throw ProxyError::of("upstream_malformed_response",
                                 "tool call output exceeded max size of " + std::to_string(max_bytes) + " bytes");
        return out;
    }

    const std::string_view marker = format_.start_marker();
    const size_t search_from = pending_.size() > marker.size() ? pending_.size() - marker.size() + 1 : 0;
    pending_.append(delta);
    const size_t found = marker.empty() ? std::string::npos : pending_.find(marker, search_from);
    if (found != std::string::npos) return start_buffering(found);

    if (holds_text()) {
        if (pending_.size() > max_bytes) {
            const std::string what = attempt_ == Attempt::Retry ? "corrected streamed response" : "assistant response";
            return retry(what + " exceeded the tool call max size of " + std::to_string(max_bytes) +
                             " bytes before emitting a tool call",
                         std::move(pending_));
        }
        return out;
    }
    const size_t held = std::max(partial_marker_length(pending_, marker), unfinished_utf8_length(pending_));
    out.content = pending_.substr(0, pending_.size() - held);
    pending_.erase(0, pending_.size() - held);
    return out;
}

DetectorOutput ToolStreamDetector::start_buffering(size_t marker) {
    DetectorOutput out;
    buffer_ = pending_.substr(marker);
    if (attempt_ == Attempt::First) out.content = pending_.substr(0, marker);
    pending_.clear();
    state_ = State::Buffering;
    const uint64_t max_bytes = context_.config().tool_call_max_bytes;
    if (buffer_.size() > max_bytes)
        throw ProxyError::of("upstream_malformed_response",
                             "tool call output exceeded max size of " + std::to_string(max_bytes) + " bytes");
    return out;
}

DetectorOutput ToolStreamDetector::release_text() {
    DetectorOutput out;
    out.content = std::move(pending_);
    pending_.clear();
    state_ = State::Done;
    return out;
}

DetectorOutput ToolStreamDetector::finish() {
    if (state_ == State::Done) return {};
    if (state_ == State::Text) {
        if (attempt_ == Attempt::Retry)
            return retry("expected corrected streamed response to include a tool call", std::move(pending_));
        if (context_.require_tool_call())
            return retry("expected the assistant response to include a tool call", std::move(pending_));
        return release_text();
    }

    Classification outcome = classify(format_, buffer_, context_, false);
    DetectorOutput out;
    if (auto *calls = std::get_if<ToolCalls>(&outcome)) {
        out.tool_calls = std::move(calls->calls);
    } else if (std::holds_alternative<NormalText>(outcome)) {
        out.content = std::move(buffer_);
    } else {
        std::string error = std::get<InvalidToolCall>(std::move(outcome)).error;
        if (error.rfind(kStreamingPrefix, 0) != 0) error.insert(0, kStreamingPrefix);
        return retry(std::move(error), std::move(buffer_));
    }
    buffer_.clear();
    state_ = State::Done;
    return out;
}

}  // namespace vep::host::tools
