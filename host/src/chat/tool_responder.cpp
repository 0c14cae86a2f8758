// See tool_responder.hpp.
#include "chat/tool_responder.hpp"

#include <chrono>

#include "chat/buffered_transformer.hpp"
#include "chat/request_encryptor.hpp"
#include "chat/response_identity.hpp"
#include "config/duration.hpp"
#include "runtime/generation.hpp"
#include "tools/classification.hpp"
#include "tools/prompts.hpp"
#include "tools/stream_detector.hpp"
#include "tools/tool_context.hpp"

namespace vep::host {
namespace {

using Clock = std::chrono::steady_clock;

ProxyError exhausted(uint32_t max_retries, const std::string &last_error) {
    json::Value details = json::Value::object();
    details.set("max_retries", static_cast<uint64_t>(max_retries));
    details.set("last_validation_error", last_error);
    return ProxyError::of("invalid_tool_call", "The model failed to produce a valid tool call after correction attempts.")
        .with_details(std::move(details));
}

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
    explicit ToolBufferedResponder(ResponseContext &rc) : rc_(rc), ex_(rc.exchange), cfg_(ex_.generation.config().tools) {
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
            return correct("tool-emulated completion did not finish within " + format_duration(cfg_.tool_call_marker_timeout),
                           "");
        return ResponderStep::proceed();
    }

  private:
    void reset() {
        attempt_.emplace(ex_.chat->model, ex_.generation.config().e2ee.require_encrypted_response_content);
        marker_seen_.reset();
    }

    ResponderStep classify() {
        auto result = tools::classify(*ex_.tool_format, attempt_->content(), *ex_.tool_context, true);
        if (auto *invalid = std::get_if<tools::InvalidToolCall>(&result)) return correct(invalid->error, attempt_->content());
        HeaderList extra;
        if (retries_ > 0) extra.emplace_back("X-Venice-Proxy-Tool-Retries", std::to_string(retries_));
        const auto *calls = std::get_if<tools::ToolCalls>(&result);
        rc_.send_body(attempt_->body(calls ? outgoing(calls->calls) : std::vector<OutgoingToolCall>{}), extra);
        return ResponderStep::finished();
    }

    // Another attempt with a correction prompt, or invalid_tool_call when the retries are used up.
    ResponderStep correct(const std::string &error, const std::string &invalid_output) {
        if (retries_ >= cfg_.max_retries) throw exhausted(cfg_.max_retries, error);
        ++retries_;
        return ResponderStep::retry(build_encrypted_request(
            ex_, tools::correction_prompt(*ex_.tool_format, *ex_.tool_context, error, invalid_output)));
    }

    ResponseContext &rc_;
    Exchange &ex_;
    const ToolsConfig &cfg_;
    std::optional<BufferedTransformer> attempt_;
    std::optional<Clock::time_point> marker_seen_;
    uint32_t retries_ = 0;
};

// ---- streaming -----------------------------------------------------------------------------

class ToolStreamResponder final : public Responder {
  public:
    explicit ToolStreamResponder(ResponseContext &rc)
        : rc_(rc), ex_(rc.exchange), cfg_(ex_.generation.config().tools), fallback_(ex_.chat->model),
          include_usage_(ex_.chat->include_usage.value_or(false)) {}

    void begin() override {
        rc_.start_stream();
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
                rc_.client.done();
                return ResponderStep::finished();
            }
        }
        if (!retry || rc_.client.gone()) return ResponderStep::proceed();
        if (retries_ >= cfg_.max_retries) throw exhausted(cfg_.max_retries, retry->error);
        ++retries_;
        return ResponderStep::retry(build_encrypted_request(
            ex_, tools::correction_prompt(*ex_.tool_format, *ex_.tool_context, retry->error, retry->invalid_output)));
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
        if (ex_.generation.config().e2ee.require_encrypted_response_content && !any_content_)
            throw ProxyError::of("e2ee_response_decryption_failed",
                                 "failed to decrypt Venice E2EE response chunk: the response carried no encrypted content");
    }

    // One role per answer, however many attempts it took (§14 item 11).
    bool take_role() {
        const bool first = !role_sent_;
        role_sent_ = true;
        return first;
    }
    // The latest upstream identity, so synthesized chunks keep the answer's id (§14 item 11).
    ResponseIdentity identity() const { return identity_for(last_identity_, fallback_); }

    void send(std::string chunk) { rc_.send_chunk(std::move(chunk)); }

    ResponseContext &rc_;
    Exchange &ex_;
    const ToolsConfig &cfg_;
    FallbackIdentity fallback_;
    bool include_usage_;
    std::unique_ptr<tools::ToolStreamDetector> detector_;
    UpstreamIdentity last_identity_;
    uint32_t retries_ = 0;
    bool retrying_ = false;
    bool role_sent_ = false;
    bool finish_sent_ = false;
    bool any_content_ = false;
};

}  // namespace

std::unique_ptr<Responder> make_tool_responder(ResponseContext &rc) {
    if (rc.exchange.chat->stream) return std::make_unique<ToolStreamResponder>(rc);
    return std::make_unique<ToolBufferedResponder>(rc);
}

}  // namespace vep::host
