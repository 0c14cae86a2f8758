// Stage "parse" (core): validates the chat request body (openai/chat_request_parser) into
// Exchange::chat, resolves a model alias of [aliases] to the Venice model it stands for, and
// refuses a model the caller's client key does not allow (checked on the Venice model).
// Everything after it works on the parsed request.
#include "chain/exchange.hpp"
#include "chain/stages/builtin_stages.hpp"
#include "openai/chat_request_parser.hpp"

namespace vep::host {
namespace {

struct ParseDeps {
    const std::map<std::string, std::string> *aliases;
};

class ParseStage final : public Stage {
  public:
    explicit ParseStage(ParseDeps deps) : aliases_(*deps.aliases) {}
    StageStatus on_request(Exchange &ex) override {
        ex.chat = parse_chat_request(std::string_view(ex.body));
        if (const auto alias = aliases_.find(ex.chat->model); alias != aliases_.end()) ex.chat->model = alias->second;
        if (ex.caller && !ex.caller->allows_model(ex.chat->model))
            throw ProxyError::of("model_not_allowed", "this client key may not use model " + ex.chat->model);
        return StageStatus::Continue;
    }

  private:
    const std::map<std::string, std::string> &aliases_;
};

}  // namespace

void register_parse_stage(StageRegistry &registry) {
    registry.add("parse",
                 stage_builder<ParseStage>([](const StageServices &s) { return ParseDeps{&s.config.aliases}; }));
}

}  // namespace vep::host
