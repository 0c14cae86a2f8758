// Stage "tools" (core): decides from the configuration alone whether the model is tee-only
// ([models] mode, config/model_modes.hpp: then tools go to Venice natively and nothing is
// emulated); otherwise picks the model's tool_format plugin (tools.formats rules), decides
// whether the request is tool-emulated (tools::ToolContext, validated here, before any session or
// attestation work) and renders the message history with that format's tool-call and tool-result
// forms. On every attempt of a tool-emulated request it adds the format's controller prompt —
// and, on a correction attempt, the correction prompt showing the model its faulty output — to
// the first system message (or a new system message at index 0). A structured-output request
// (response_format json_object / json_schema) gets the JSON-only instruction there instead — and,
// on its correction attempt, the structured correction; it cannot also be tool-emulated.
#include <algorithm>

#include "chain/exchange.hpp"
#include "chain/stages/builtin_stages.hpp"
#include "config/model_modes.hpp"
#include "openai/history_rendering.hpp"
#include "tools/format_selection.hpp"
#include "tools/prompts.hpp"
#include "tools/schema_validation.hpp"
#include "tools/structured_output.hpp"
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

struct ToolsDeps {
    const Config *config;
    const ToolFormats *formats;
};

class ToolsStage final : public Stage {
  public:
    explicit ToolsStage(ToolsDeps deps) : config_(*deps.config), cfg_(deps.config->tools), formats_(*deps.formats) {}

    StageStatus on_request(Exchange &ex) override {
        if (!ex.chat) throw ProxyError::of("internal_error", "the tools stage needs the parse stage before it");
        if (model_mode(config_, ex.chat->model) == ModelMode::TeeOnly) {
            ex.tee_only = true;  // the encrypt stage sends the request as it came, tools included
            return StageStatus::Continue;
        }
        HistoryRenderer renderer = default_history_renderer();
        if (cfg_.enabled && cfg_.mode == "emulated") {
            const std::string name = tools::select_format(ex.chat->model, cfg_);
            const auto found = formats_.find(name);
            if (found == formats_.end()) throw ProxyError::of("internal_error", "tool format plugin " + name + " is not loaded");
            ex.tool_format = found->second;
            ex.tool_format_name = name;
            if (auto context = tools::ToolContext::build(ex.chat->tools, ex.chat->tool_choice, cfg_))
                ex.tool_context = std::make_shared<const tools::ToolContext>(std::move(*context));
            renderer = plugin_renderer(ex.tool_format);
        }
        check_structured_output(ex);
        ex.messages = render_messages(ex.chat->messages, renderer);
        return StageStatus::Continue;
    }

    void on_attempt(Exchange &ex, AttemptRequest &attempt) override {
        if (ex.chat->response_format) return add_to_system(attempt, structured_prompt(ex));
        if (!ex.tool_context || !ex.tool_format) return;
        std::string prompt = tools::controller_prompt(*ex.tool_format, *ex.tool_context);
        if (ex.correction) {
            prompt += "\n\n";
            prompt += tools::correction_prompt(*ex.tool_format, *ex.tool_context, ex.correction->error,
                                               ex.correction->invalid_output);
        }
        add_to_system(attempt, std::move(prompt));
    }

  private:
    static void check_structured_output(const Exchange &ex) {
        const auto &format = ex.chat->response_format;
        if (!format) return;
        if (ex.tool_context)
            throw ProxyError::of("unsupported_request_field",
                                 "unsupported request field response_format: a JSON response_format cannot be combined "
                                 "with tools the model may call");
        if (!format->schema) return;
        if (auto error = tools::schema_shape_error(*format->schema))
            throw ProxyError::of("invalid_request", "invalid field response_format.json_schema.schema: " + *error);
    }

    static std::string structured_prompt(const Exchange &ex) {
        std::string prompt = tools::structured_output_prompt(*ex.chat->response_format);
        if (ex.correction) {
            prompt += "\n\n";
            prompt += tools::structured_correction_prompt(ex.correction->error, ex.correction->invalid_output);
        }
        return prompt;
    }

    static void add_to_system(AttemptRequest &attempt, std::string prompt) {
        auto &messages = attempt.messages;
        auto system = std::find_if(messages.begin(), messages.end(), [](const UpstreamMessage &m) { return m.role == "system"; });
        if (system != messages.end()) system->content += "\n\n" + prompt;
        else messages.insert(messages.begin(), UpstreamMessage{"system", std::move(prompt)});
    }

    const Config &config_;
    const ToolsConfig &cfg_;
    const ToolFormats &formats_;
};

}  // namespace

void register_tools_stage(StageRegistry &registry) {
    registry.add("tools", stage_builder<ToolsStage>([](const StageServices &s) {
                     return ToolsDeps{&s.config, &s.tool_formats};
                 }));
}

}  // namespace vep::host
