// Stage "parse" (core): validates the chat request body (openai/chat_request_parser) into
// Exchange::chat, and refuses a model the caller's client key does not allow. Everything after it
// works on the parsed request.
#include "chain/exchange.hpp"
#include "chain/stages/builtin_stages.hpp"
#include "openai/chat_request_parser.hpp"

namespace vep::host {
namespace {

class ParseStage final : public Stage {
  public:
    explicit ParseStage(NoDeps) {}
    StageStatus on_request(Exchange &ex) override {
        ex.chat = parse_chat_request(std::string_view(ex.body));
        if (ex.caller && !ex.caller->allows_model(ex.chat->model))
            throw ProxyError::of("model_not_allowed", "this client key may not use model " + ex.chat->model);
        return StageStatus::Continue;
    }
};

}  // namespace

void register_parse_stage(StageRegistry &registry) {
    registry.add("parse", stage_builder<ParseStage>([](const StageServices &) { return NoDeps{}; }));
}

}  // namespace vep::host
