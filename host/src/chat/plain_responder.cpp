// The plain (non-tool) responders: a streamed answer passes every decrypted event through the
// StreamingTransformer to the client as it arrives; a buffered one collects them in the
// BufferedTransformer and sends one completion body at [DONE]. make_responder() picks these, the
// structured-output one or the tool-emulated ones.
#include "chat/buffered_transformer.hpp"
#include "chat/responder.hpp"
#include "chat/streaming_transformer.hpp"
#include "chat/structured_responder.hpp"
#include "chat/tool_responder.hpp"

namespace vep::host {
namespace {

class PlainStreamResponder final : public Responder {
  public:
    PlainStreamResponder(Exchange &ex, AnswerSink &sink, const ResponderSettings &settings)
        : sink_(sink), transformer_(ex.chat->model, ex.chat->include_usage.value_or(false),
                                    settings.require_encrypted_response_content) {}

    void begin() override { sink_.start_stream(); }

    ResponderStep on_event(DecryptedEvent event) override {
        std::vector<std::string> chunks;
        const bool done = std::holds_alternative<upstream_event::Done>(event);
        if (auto *choice = std::get_if<DecryptedChoice>(&event)) chunks = transformer_.on_choice(*choice);
        else if (auto *usage = std::get_if<upstream_event::UsageOnly>(&event)) chunks = transformer_.on_usage(*usage);
        else chunks = transformer_.on_done();
        for (auto &chunk : chunks)
            if (!sink_.send_chunk(std::move(chunk))) return ResponderStep::proceed();
        if (!done) return ResponderStep::proceed();
        sink_.send_done();
        return ResponderStep::finished();
    }

  private:
    AnswerSink &sink_;
    StreamingTransformer transformer_;
};

class PlainBufferedResponder final : public Responder {
  public:
    PlainBufferedResponder(Exchange &ex, AnswerSink &sink, const ResponderSettings &settings)
        : sink_(sink), transformer_(ex.chat->model, settings.require_encrypted_response_content,
                                    settings.max_buffered_answer_bytes) {}

    ResponderStep on_event(DecryptedEvent event) override {
        if (auto *choice = std::get_if<DecryptedChoice>(&event)) {
            transformer_.on_choice(*choice);
        } else if (auto *usage = std::get_if<upstream_event::UsageOnly>(&event)) {
            transformer_.on_usage(*usage);
        } else {
            transformer_.check_complete();
            sink_.send_body(transformer_.body(), {});
            return ResponderStep::finished();
        }
        return ResponderStep::proceed();
    }

  private:
    AnswerSink &sink_;
    BufferedTransformer transformer_;
};

}  // namespace

std::unique_ptr<Responder> make_responder(Exchange &ex, AnswerSink &sink, const ResponderSettings &settings) {
    if (ex.chat->response_format) return make_structured_responder(ex, sink, settings);
    if (ex.tool_context) return make_tool_responder(ex, sink, settings);
    if (ex.chat->stream) return std::make_unique<PlainStreamResponder>(ex, sink, settings);
    return std::make_unique<PlainBufferedResponder>(ex, sink, settings);
}

}  // namespace vep::host
