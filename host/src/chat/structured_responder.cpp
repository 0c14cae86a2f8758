// See structured_responder.hpp.
#include "chat/structured_responder.hpp"

#include "chat/buffered_transformer.hpp"
#include "chat/streaming_transformer.hpp"
#include "tools/structured_output.hpp"

namespace vep::host {
namespace {

class StructuredResponder final : public Responder {
  public:
    StructuredResponder(Exchange &ex, AnswerSink &sink, const ResponderSettings &settings)
        : sink_(sink), ex_(ex), settings_(settings) {
        reset();
    }

    void on_retry_opened() override { reset(); }

    ResponderStep on_event(DecryptedEvent event) override {
        if (auto *choice = std::get_if<DecryptedChoice>(&event)) {
            attempt_->on_choice(*choice);
            last_choice_ = *choice;
            if (choice->reasoning_content) reasoning_ += *choice->reasoning_content;
        } else if (auto *usage = std::get_if<upstream_event::UsageOnly>(&event)) {
            attempt_->on_usage(*usage);
            usage_ = *usage;
        } else {
            attempt_->check_complete();
            return answer();
        }
        return ResponderStep::proceed();
    }

  private:
    void reset() {
        attempt_.emplace(ex_.chat->model, settings_.require_encrypted_response_content,
                         settings_.max_buffered_answer_bytes);
        reasoning_.clear();
        last_choice_.reset();
        usage_.reset();
    }

    ResponderStep answer() {
        auto checked = tools::check_structured_answer(attempt_->content(), *ex_.chat->response_format);
        if (auto *violation = std::get_if<tools::StructuredViolation>(&checked))
            return ResponderStep::correct({violation->error, attempt_->content()});
        std::string json = std::move(std::get<tools::StructuredAnswer>(checked).json);
        if (ex_.retries > 0) ex_.set_response_header("X-Venice-Proxy-Structured-Output-Retries", std::to_string(ex_.retries));
        if (!ex_.chat->stream) {
            attempt_->replace_content(std::move(json));
            sink_.send_body(attempt_->body(), {});
        } else {
            stream(std::move(json));
        }
        return ResponderStep::finished();
    }

    // The validated attempt as a stream: its reasoning, then the JSON with the attempt's finish.
    void stream(std::string json) {
        StreamingTransformer transformer(ex_.chat->model, ex_.chat->include_usage.value_or(false),
                                         settings_.require_encrypted_response_content);
        std::vector<std::string> chunks;
        auto add = [&chunks](std::vector<std::string> more) {
            for (auto &chunk : more) chunks.push_back(std::move(chunk));
        };
        DecryptedChoice last = last_choice_.value_or(DecryptedChoice{});
        if (!reasoning_.empty())
            add(transformer.on_choice(
                DecryptedChoice{last.identity, last.index, std::nullopt, std::nullopt, std::move(reasoning_), std::nullopt}));
        add(transformer.on_choice(DecryptedChoice{last.identity, last.index, last.finish_reason.value_or("stop"),
                                                  std::move(json), std::nullopt, std::nullopt}));
        if (usage_) add(transformer.on_usage(*usage_));
        add(transformer.on_done());
        sink_.start_stream();
        for (auto &chunk : chunks)
            if (!sink_.send_chunk(std::move(chunk))) return;
        sink_.send_done();
    }

    AnswerSink &sink_;
    Exchange &ex_;
    const ResponderSettings &settings_;
    std::optional<BufferedTransformer> attempt_;
    std::string reasoning_;  // the attempt's reasoning (bounded with its content by the transformer)
    std::optional<DecryptedChoice> last_choice_;
    std::optional<upstream_event::UsageOnly> usage_;
};

}  // namespace

std::unique_ptr<Responder> make_structured_responder(Exchange &ex, AnswerSink &sink, const ResponderSettings &settings) {
    return std::make_unique<StructuredResponder>(ex, sink, settings);
}

}  // namespace vep::host
