// The streaming tool-call detector.
//
// Owns: the per-attempt state machine that decides, for each decrypted content delta of a
// tool-emulated stream, what may be shown to the client now and what must be held back, plus
// the classification of the buffered tool-call block at the end. Pure: no I/O, no logging, no
// clock. The streaming tool responder (chat/tool_responder.cpp) creates one per upstream attempt
// and drives it:
//
//   ToolStreamDetector detector(format, context, ToolStreamDetector::Attempt::First);
//   for each upstream choice chunk:
//       reasoning       -> the responder's business (suppress it on a retry attempt)
//       content delta   -> out = detector.feed(delta)
//       finish_reason   -> out = detector.finish()   (also at [DONE] without a finish)
//     emit out.content as a content delta when non-empty; then one tool_calls delta per
//     out.tool_calls entry (index i) and a finish chunk with reason "tool_calls" when
//     out.tool_calls is non-empty (else the upstream reason); on out.retry, drop the upstream
//     and ask the pipeline for a correction attempt with out.retry->error /
//     out.retry->invalid_output and a new detector in Attempt::Retry (the pipeline fails the
//     stream when retries are exhausted).
//
// Contract:
//  - feed() before the start marker: Attempt::First with tool_choice auto streams text at once,
//    holding back only a tail that could begin the marker (a proper prefix of it) or an
//    unfinished UTF-8 sequence. Attempt::First with a required/named choice holds all text
//    until the marker (so a missing call can still be retried) and then releases
//    the text before the marker; Attempt::Retry never releases text before the marker. Held
//    text is bounded by tool_call_max_bytes: beyond it feed() returns a retry.
//  - From the marker on, everything is buffered (marker included). A buffer over
//    tool_call_max_bytes throws ProxyError upstream_malformed_response (not retryable).
//  - finish() with a buffer classifies it (classify(), size already bounded): tool calls, or
//    the buffer as content (NormalText), or a retry whose error carries the streaming prefix
//    "tool call parsing failed: " (added only when not already present). Without a buffer:
//    auto → the held tail as content; required → retry "expected the assistant response to
//    include a tool call"; Attempt::Retry → retry "expected corrected streamed response to
//    include a tool call".
//  - After a retry or finish() the detector is spent: further feed()/finish() return nothing.
//  - The detector keeps references to `format` and `context`; both must outlive it.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tools/classification.hpp"
#include "tools/tool_context.hpp"
#include "vep/client.hpp"

namespace vep::host::tools {

// A retryable invalid attempt: the correction prompt gets `error` and `invalid_output`.
struct RetryRequest {
    std::string error;
    std::string invalid_output;
};

// What the responder emits after one feed()/finish() call (see the contract above).
struct DetectorOutput {
    std::string content;
    std::vector<ValidatedToolCall> tool_calls;  // finish() only
    std::optional<RetryRequest> retry;
};

class ToolStreamDetector {
  public:
    enum class Attempt { First, Retry };

    ToolStreamDetector(const client::ToolFormatClient &format, const ToolContext &context, Attempt attempt);

    DetectorOutput feed(std::string_view delta);
    DetectorOutput finish();

    // True once the start marker was seen (the rest is being buffered).
    bool buffering() const { return state_ == State::Buffering; }

  private:
    enum class State { Text, Buffering, Done };

    bool holds_text() const;
    DetectorOutput retry(std::string error, std::string invalid_output);
    DetectorOutput start_buffering(size_t marker);
    DetectorOutput release_text();

    const client::ToolFormatClient &format_;
    const ToolContext &context_;
    Attempt attempt_;
    State state_ = State::Text;
    std::string pending_;  // text not yet released (before the marker)
    std::string buffer_;   // the tool-call block, from the marker on
};

}  // namespace vep::host::tools
