// Stage "tools": picks the model's tool_format plugin (tools.formats rules), decides whether the
// request is tool-emulated (tools::ToolContext, seed-behaviour §8.1 — validated here, before any
// session or attestation work, fixing §14 item 7) and renders the message history with that
// format's tool-call and tool-result forms.
#include "chain/exchange.hpp"
#include "chain/stages/builtin_stages.hpp"
#include "openai/history_rendering.hpp"
#include "runtime/generation.hpp"
#include "tools/format_selection.hpp"
#include "tools/tool_context.hpp"

namespace vep::host {
namespace {

HistoryRenderer plugin_renderer(std::shared_ptr<const vep::client::ToolFormatClient> format) {
    HistoryRenderer r;
    r.tool_calls = [format](const json::Value &calls) {
        try {
            return format->render_tool_calls(json::dump(calls));
        } catch (const vep::Failure &f) {
            throw ProxyError::of("invalid_tool_call_history", std::string("invalid assistant tool-call history: ") + f.what());
        }
    };
    r.tool_result = [format](std::string_view id, std::string_view content) {
        try {
            return format->render_tool_result(id, content);
        } catch (const vep::Failure &f) {
            throw ProxyError::of("invalid_request", std::string("invalid tool message: ") + f.what());
        }
    };
    return r;
}

class ToolsStage final : public Stage {
  public:
    explicit ToolsStage(const Generation &g) : g_(g) {}

    StageStatus on_request(Exchange &ex) override {
        if (!ex.chat) throw ProxyError::of("internal_error", "the tools stage needs the parse stage before it");
        const ToolsConfig &cfg = g_.config().tools;
        HistoryRenderer renderer = default_history_renderer();
        if (cfg.enabled && cfg.mode == "emulated") {
            const std::string name = tools::select_format(ex.chat->model, cfg);
            ex.tool_format = g_.tool_format(name);
            if (!ex.tool_format) throw ProxyError::of("internal_error", "tool format plugin " + name + " is not loaded");
            if (auto context = tools::ToolContext::build(ex.chat->tools, ex.chat->tool_choice, cfg))
                ex.tool_context = std::make_shared<const tools::ToolContext>(std::move(*context));
            renderer = plugin_renderer(ex.tool_format);
        }
        ex.messages = render_messages(ex.chat->messages, renderer);
        return StageStatus::Continue;
    }

  private:
    const Generation &g_;
};

}  // namespace

void register_tools_stage(StageRegistry &registry) { registry.add("tools", stage_builder<ToolsStage>()); }

}  // namespace vep::host
