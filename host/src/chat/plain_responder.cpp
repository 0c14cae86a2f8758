// The plain (non-tool) responders: a streamed answer passes every decrypted event through the
// StreamingTransformer to the client as it arrives; a buffered one collects them in the
// BufferedTransformer and sends one completion body at [DONE]. make_responder() picks these or the
// tool-emulated ones.
#include "chat/buffered_transformer.hpp"
#include "chat/responder.hpp"
#include "chat/streaming_transformer.hpp"
#include "chat/tool_responder.hpp"
#include "runtime/generation.hpp"

namespace vep::host {
namespace {

class PlainStreamResponder final : public Responder {
  public:
    explicit PlainStreamResponder(ResponseContext &rc)
        : rc_(rc), transformer_(rc.exchange.chat->model, rc.exchange.chat->include_usage.value_or(false),
                                rc.exchange.generation.config().e2ee.require_encrypted_response_content) {}

    void begin() override { rc_.start_stream(); }

    ResponderStep on_event(DecryptedEvent event) override {
        std::vector<std::string> chunks;
        const bool done = std::holds_alternative<upstream_event::Done>(event);
        if (auto *choice = std::get_if<DecryptedChoice>(&event)) chunks = transformer_.on_choice(*choice);
        else if (auto *usage = std::get_if<upstream_event::UsageOnly>(&event)) chunks = transformer_.on_usage(*usage);
        else chunks = transformer_.on_done();
        for (auto &chunk : chunks)
            if (!rc_.send_chunk(std::move(chunk))) return ResponderStep::proceed();
        if (!done) return ResponderStep::proceed();
        rc_.client.done();
        return ResponderStep::finished();
    }

  private:
    ResponseContext &rc_;
    StreamingTransformer transformer_;
};

class PlainBufferedResponder final : public Responder {
  public:
    explicit PlainBufferedResponder(ResponseContext &rc)
        : rc_(rc), transformer_(rc.exchange.chat->model,
                                rc.exchange.generation.config().e2ee.require_encrypted_response_content) {}

    ResponderStep on_event(DecryptedEvent event) override {
        if (auto *choice = std::get_if<DecryptedChoice>(&event)) {
            transformer_.on_choice(*choice);
        } else if (auto *usage = std::get_if<upstream_event::UsageOnly>(&event)) {
            transformer_.on_usage(*usage);
        } else {
            transformer_.check_complete();
            rc_.send_body(transformer_.body(), {});
            return ResponderStep::finished();
        }
        return ResponderStep::proceed();
    }

  private:
    ResponseContext &rc_;
    BufferedTransformer transformer_;
};

}  // namespace

std::unique_ptr<Responder> make_responder(ResponseContext &rc) {
    if (rc.exchange.tool_context) return make_tool_responder(rc);
    if (rc.exchange.chat->stream) return std::make_unique<PlainStreamResponder>(rc);
    return std::make_unique<PlainBufferedResponder>(rc);
}

}  // namespace vep::host
