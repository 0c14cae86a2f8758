// See tool_responder.hpp.
#include "chat/tool_responder.hpp"

#include <chrono>

#include "chat/buffered_transformer.hpp"
#include "chat/response_identity.hpp"
#include "config/duration.hpp"
#include "tools/classification.hpp"
#include "tools/stream_detector.hpp"
#include "tools/tool_context.hpp"

namespace vep::host {
namespace {

using Clock = std::chrono::steady_clock;

std::vector<OutgoingToolCall> outgoing(const std::vector<tools::ValidatedToolCall> &calls) {
    std::vector<OutgoingToolCall> out;
    out.reserve(calls.size());
    for (const auto &c : calls) out.push_back({c.id, c.name, c.arguments});
    return out;
}

// ---- buffered ------------------------------------------------------------------------------

// Reads each attempt whole; the tool-call timeout runs from the first start marker on.
class ToolBufferedResponder final : public Responder {
  public:
    ToolBufferedResponder(Exchange &ex, AnswerSink &sink, const ResponderSettings &settings)
        : sink_(sink), ex_(ex), settings_(settings), cfg_(settings.tools) {
        reset();
    }

    void on_retry_opened() override { reset(); }

    ResponderStep on_event(DecryptedEvent event) override {
        if (auto *choice = std::get_if<DecryptedChoice>(&event)) {
            attempt_->on_choice(*choice);
        } else if (auto *usage = std::get_if<upstream_event::UsageOnly>(&event)) {
            attempt_->on_usage(*usage);
        } else {
            attempt_->check_complete();
            return classify();
        }
        if (!marker_seen_ && attempt_->content().find(ex_.tool_format->start_marker()) != std::string::npos)
            marker_seen_ = Clock::now();
        if (marker_seen_ && Clock::now() - *marker_seen_ > cfg_.tool_call_marker_timeout)
            return ResponderStep::correct(
                {"tool-emulated completion did not finish within " + format_duration(cfg_.tool_call_marker_timeout), ""});
        return ResponderStep::proceed();
    }

  private:
    void reset() {
        attempt_.emplace(ex_.chat->model, settings_.require_encrypted_response_content,
                         settings_.max_buffered_answer_bytes);
        marker_seen_.reset();
    }

    ResponderStep classify() {
        auto result = tools::classify(*ex_.tool_format, attempt_->content(), *ex_.tool_context, true);
        if (auto *invalid = std::get_if<tools::InvalidToolCall>(&result))
            return ResponderStep::correct({invalid->error, attempt_->content()});
        HeaderList extra;
        if (ex_.retries > 0) extra.emplace_back("X-Venice-Proxy-Tool-Retries", std::to_string(ex_.retries));
        const auto *calls = std::get_if<tools::ToolCalls>(&result);
        sink_.send_body(attempt_->body(calls ? outgoing(calls->calls) : std::vector<OutgoingToolCall>{}), extra);
        return ResponderStep::finished();
    }

    AnswerSink &sink_;
    Exchange &ex_;
    const ResponderSettings &settings_;
    const ToolsConfig &cfg_;
    std::optional<BufferedTransformer> attempt_;
    std::optional<Clock::time_point> marker_seen_;
};

// ---- streaming -----------------------------------------------------------------------------

class ToolStreamResponder final : public Responder {
  public:
    ToolStreamResponder(Exchange &ex, AnswerSink &sink, const ResponderSettings &settings)
        : sink_(sink), ex_(ex), settings_(settings), fallback_(ex_.chat->model),
          include_usage_(ex_.chat->include_usage.value_or(false)) {}

    void begin() override {
        sink_.start_stream();
        detector_ = std::make_unique<tools::ToolStreamDetector>(*ex_.tool_format, *ex_.tool_context,
                                                                tools::ToolStreamDetector::Attempt::First);
    }

    void on_retry_opened() override {
        detector_ = std::make_unique<tools::ToolStreamDetector>(*ex_.tool_format, *ex_.tool_context,
                                                                tools::ToolStreamDetector::Attempt::Retry);
        retrying_ = true;
    }

    ResponderStep on_event(DecryptedEvent event) override {
        std::optional<tools::RetryRequest> retry;
        if (auto *choice = std::get_if<DecryptedChoice>(&event)) {
            retry = on_choice(*choice);
        } else if (auto *usage = std::get_if<upstream_event::UsageOnly>(&event)) {
            if (include_usage_) send(build_usage_chunk(identity_for(usage->identity, fallback_), usage->usage));
        } else {
            if (!finish_sent_) retry = finish("stop");
            if (!retry) {
                check_content();
                sink_.send_done();
                return ResponderStep::finished();
            }
        }
        if (!retry || sink_.client_gone()) return ResponderStep::proceed();
        return ResponderStep::correct(std::move(*retry));
    }

  private:
    std::optional<tools::RetryRequest> on_choice(const DecryptedChoice &choice) {
        last_identity_ = choice.identity;
        if (finish_sent_) return std::nullopt;  // everything after the final finish but usage is ignored
        if (choice.reasoning_content) {
            any_content_ = true;
            if (!retrying_) {
                ChunkDelta delta;
                delta.role = take_role();
                delta.reasoning_content = *choice.reasoning_content;
                send(build_stream_chunk(identity(), choice.index, delta, std::nullopt));
            }
        }
        if (choice.content) {
            any_content_ = true;
            auto out = detector_->feed(*choice.content);
            if (out.retry) return out.retry;
            emit(out, choice.index, std::nullopt);
        }
        if (choice.finish_reason) return finish(*choice.finish_reason, choice.index);
        return std::nullopt;
    }

    std::optional<tools::RetryRequest> finish(const std::string &reason, uint64_t index = 0) {
        auto out = detector_->finish();
        if (out.retry) return out.retry;
        emit(out, index, reason);
        return std::nullopt;
    }

    void emit(const tools::DetectorOutput &out, uint64_t index, std::optional<std::string> finish_reason) {
        if (!out.content.empty()) {
            ChunkDelta delta;
            delta.role = take_role();
            delta.content = out.content;
            send(build_stream_chunk(identity(), index, delta, std::nullopt));
        }
        const auto calls = outgoing(out.tool_calls);
        for (size_t i = 0; i < calls.size(); ++i) {
            ChunkDelta delta;
            delta.role = take_role();
            delta.tool_calls.push_back(IndexedToolCall{i, &calls[i]});
            send(build_stream_chunk(identity(), index, delta, std::nullopt));
        }
        if (finish_reason) {
            const std::string reason = calls.empty() ? *finish_reason : "tool_calls";
            send(build_stream_chunk(identity(), index, ChunkDelta{}, std::string_view(reason)));
            finish_sent_ = true;
        }
    }

    void check_content() const {
        if (settings_.require_encrypted_response_content && !any_content_)
            throw ProxyError::of("e2ee_response_decryption_failed",
                                 "failed to decrypt Venice E2EE response chunk: the response carried no encrypted content");
    }

    // One role per answer, however many attempts it took.
    bool take_role() {
        const bool first = !role_sent_;
        role_sent_ = true;
        return first;
    }
    // The latest upstream identity, so synthesized chunks keep the answer's id.
    ResponseIdentity identity() const { return identity_for(last_identity_, fallback_); }

    void send(std::string chunk) { sink_.send_chunk(std::move(chunk)); }

    AnswerSink &sink_;
    Exchange &ex_;
    const ResponderSettings &settings_;
    FallbackIdentity fallback_;
    bool include_usage_;
    std::unique_ptr<tools::ToolStreamDetector> detector_;
    UpstreamIdentity last_identity_;
    bool retrying_ = false;
    bool role_sent_ = false;
    bool finish_sent_ = false;
    bool any_content_ = false;
};

}  // namespace

std::unique_ptr<Responder> make_tool_responder(Exchange &ex, AnswerSink &sink, const ResponderSettings &settings) {
    if (ex.chat->stream) return std::make_unique<ToolStreamResponder>(ex, sink, settings);
    return std::make_unique<ToolBufferedResponder>(ex, sink, settings);
}

}  // namespace vep::host
