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

// Reads one attempt whole. The tool-call timeout runs from the first start marker on.
BufferedTransformer read_attempt(ResponseContext &rc, const std::string &body, bool &timed_out) {
    Exchange &ex = rc.exchange;
    const ToolsConfig &cfg = ex.generation.config().tools;
    UpstreamReader reader = rc.open_attempt(body);
    BufferedTransformer t(ex.chat->model, ex.generation.config().e2ee.require_encrypted_response_content);
    std::optional<Clock::time_point> marker_seen;
    for (;;) {
        DecryptedEvent event = reader.next();
        if (auto *choice = std::get_if<DecryptedChoice>(&event)) t.on_choice(*choice);
        else if (auto *usage = std::get_if<upstream_event::UsageOnly>(&event)) t.on_usage(*usage);
        else break;
        if (!marker_seen && t.content().find(ex.tool_format->start_marker()) != std::string::npos) marker_seen = Clock::now();
        if (marker_seen && Clock::now() - *marker_seen > cfg.tool_call_marker_timeout) {
            reader.abort();
            timed_out = true;
            return t;
        }
    }
    t.check_complete();
    return t;
}

ChatOutcome buffered(ResponseContext &rc) {
    Exchange &ex = rc.exchange;
    const ToolsConfig &cfg = ex.generation.config().tools;
    std::string body = ex.upstream_body;
    for (uint32_t retries = 0;; ++retries) {
        bool timed_out = false;
        BufferedTransformer t = read_attempt(rc, body, timed_out);
        std::string error, invalid_output;
        if (timed_out) {
            error = "tool-emulated completion did not finish within " + format_duration(cfg.tool_call_marker_timeout);
        } else {
            auto result = tools::classify(*ex.tool_format, t.content(), *ex.tool_context, true);
            if (!std::holds_alternative<tools::InvalidToolCall>(result)) {
                std::vector<std::pair<std::string, std::string>> extra;
                if (retries > 0) extra.emplace_back("X-Venice-Proxy-Tool-Retries", std::to_string(retries));
                const auto *calls = std::get_if<tools::ToolCalls>(&result);
                rc.send_body(t.body(calls ? outgoing(calls->calls) : std::vector<OutgoingToolCall>{}), extra);
                return ChatOutcome{true, 200, "", false};
            }
            error = std::get<tools::InvalidToolCall>(result).error;
            invalid_output = t.content();
        }
        if (retries >= cfg.max_retries) throw exhausted(cfg.max_retries, error);
        body = build_encrypted_request(ex, tools::correction_prompt(*ex.tool_format, *ex.tool_context, error, invalid_output));
    }
}

// ---- streaming -----------------------------------------------------------------------------

class ToolStream {
  public:
    explicit ToolStream(ResponseContext &rc)
        : rc_(rc), ex_(rc.exchange), cfg_(ex_.generation.config().tools), fallback_(ex_.chat->model),
          include_usage_(ex_.chat->include_usage.value_or(false)) {}

    ChatOutcome run() {
        auto reader = std::make_unique<UpstreamReader>(rc_.open_attempt(ex_.upstream_body));
        rc_.client.start(ex_.response_headers);
        detector_ = std::make_unique<tools::ToolStreamDetector>(*ex_.tool_format, *ex_.tool_context,
                                                                tools::ToolStreamDetector::Attempt::First);
        try {
            for (;;) {
                DecryptedEvent event = reader->next();
                std::optional<tools::RetryRequest> retry;
                if (auto *choice = std::get_if<DecryptedChoice>(&event)) {
                    retry = on_choice(*choice);
                } else if (auto *usage = std::get_if<upstream_event::UsageOnly>(&event)) {
                    if (include_usage_ && !send(build_usage_chunk(identity_for(usage->identity, fallback_), usage->usage)))
                        return gone(*reader);
                } else {
                    if (!finish_sent_) retry = finish("stop");
                    if (!retry) {
                        check_content();
                        if (!rc_.client.write_done()) return ChatOutcome{false, 200, "client_disconnected", true};
                        return ChatOutcome{true, 200, "", false};
                    }
                }
                if (client_gone_) return gone(*reader);
                if (retry) {
                    reader->abort();
                    if (retries_ >= cfg_.max_retries) throw exhausted(cfg_.max_retries, retry->error);
                    ++retries_;
                    const std::string body = build_encrypted_request(
                        ex_, tools::correction_prompt(*ex_.tool_format, *ex_.tool_context, retry->error, retry->invalid_output));
                    reader = std::make_unique<UpstreamReader>(rc_.open_attempt(body));
                    detector_ = std::make_unique<tools::ToolStreamDetector>(*ex_.tool_format, *ex_.tool_context,
                                                                            tools::ToolStreamDetector::Attempt::Retry);
                    retrying_ = true;
                }
            }
        } catch (const ProxyError &e) {
            reader->abort();
            rc_.client.write_error(e);
            return ChatOutcome{false, e.status(), e.code(), false};
        }
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

    bool send(std::string chunk) {
        if (client_gone_) return false;
        if (!rc_.send_chunk(std::move(chunk))) client_gone_ = true;
        return !client_gone_;
    }
    ChatOutcome gone(UpstreamReader &reader) {
        reader.abort();
        return ChatOutcome{false, 200, "client_disconnected", true};
    }

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
    bool client_gone_ = false;
};

}  // namespace

ChatOutcome respond_with_tools(ResponseContext &rc) {
    if (rc.exchange.chat->stream) return ToolStream(rc).run();
    return buffered(rc);
}

}  // namespace vep::host
