// Stage "parse" (core): validates the chat request body (openai/chat_request_parser) into
// Exchange::chat. Everything after it works on the parsed request.
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
        return StageStatus::Continue;
    }
};

}  // namespace

void register_parse_stage(StageRegistry &registry) {
    registry.add("parse", stage_builder<ParseStage>([](const StageServices &) { return NoDeps{}; }));
}

}  // namespace vep::host
