// function-tag: a tool-call format for models trained on Llama 3.1's custom tool syntax,
//   <function=get_weather>{"city": "Paris"}</function>
// The proxy puts the controller prompt below in front of the conversation, watches the answer for
// the start marker "<function=", and hands the answer to parse(), which returns the calls (name +
// raw argument JSON, validated against the tools' schemas by the host) and the text around them.
// Config:
//   [plugin_config.function-tag]
//   max_calls = 8          # optional, 1..64: more calls in one answer are a parse error
// Use it for models whose id contains "llama":
//   [tools] formats = [{ match = "llama", format = "function-tag" }]
#include <string>

#include <vep/plugin.hpp>

namespace {

constexpr std::string_view kOpen = "<function=";
constexpr std::string_view kClose = "</function>";
constexpr size_t kMaxNameBytes = 128;

constexpr std::string_view kFormat =
    "Required tool-call format, one per call:\n\n"
    "<function=TOOL_NAME>{\"ARGUMENT_NAME\":\"ARGUMENT_VALUE\"}</function>\n\n"
    "Rules:\n"
    "- TOOL_NAME must exactly match one available tool name.\n"
    "- Between the tags put ONLY one JSON object with the arguments; it must satisfy the tool schema.\n"
    "- Do not use markdown fences and do not explain the call.";

std::string_view trim(std::string_view s) {
    const auto first = s.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos) return {};
    return s.substr(first, s.find_last_not_of(" \t\r\n") - first + 1);
}

[[noreturn]] void parse_error(const std::string &detail) { throw vep::Failure("tool_parse_error", detail); }

class FunctionTagFormat final : public vep::ToolFormat {
  public:
    explicit FunctionTagFormat(const vep::json::Value &config) {
        for (const auto &member : config.as_object()) {
            int64_t n = 0;
            if (member.first == "max_calls" && member.second.get_i64(n) && n >= 1 && n <= 64)
                max_calls_ = static_cast<size_t>(n);
            else throw vep::Failure("invalid_config", "function-tag: unknown key or bad value: " + member.first);
        }
    }

    std::string_view start_marker() const override { return kOpen; }

    std::string controller_prompt(const vep::ToolPromptInput &in) override {
        std::string out = "You have access to tools.\n\n";
        out += in.require_tool_call ? "You must call at least one tool. Do not answer the user directly.\n\n"
                                    : "If a tool is needed, output only tool calls; otherwise answer normally "
                                      "without any <function= tag.\n\n";
        out += kFormat;
        out += "\n\nAvailable tools:\n";
        out += in.tools_json;
        return out;
    }

    std::string correction_prompt(const vep::ToolPromptInput &in) override {
        std::string out = "Your previous response attempted a tool call, but it was invalid.\n\nValidation error:\n";
        out += in.error_text;
        out += "\n\nInvalid output:\n";
        out += in.invalid_output;
        out += "\n\nReturn only valid tool calls and nothing else.\n\n";
        out += kFormat;
        out += "\n\nAvailable tools:\n";
        out += in.tools_json;
        return out;
    }

    vep::ParsedOutput parse(std::string_view output, const vep::json::Value &) override {
        vep::ParsedOutput parsed;
        std::string text;
        size_t pos = 0;
        for (;;) {
            const size_t open = output.find(kOpen, pos);
            if (open == std::string_view::npos) break;
            text += output.substr(pos, open - pos);
            const size_t name_start = open + kOpen.size();
            const size_t name_end = output.find('>', name_start);
            if (name_end == std::string_view::npos) parse_error("<function= tag is not closed with '>'");
            const std::string_view name = output.substr(name_start, name_end - name_start);
            if (name.empty() || name.size() > kMaxNameBytes || name.find_first_of(" \t\r\n<\"") != std::string_view::npos)
                parse_error("tool name in <function=...> is empty, too long or not a single word");
            const size_t close = output.find(kClose, name_end + 1);
            if (close == std::string_view::npos) parse_error("<function=" + std::string(name) + "> has no </function>");
            const std::string_view arguments = trim(output.substr(name_end + 1, close - name_end - 1));
            try {
                if (!vep::json::parse(arguments).is_object())
                    parse_error("arguments of " + std::string(name) + " are not a JSON object");
            } catch (const vep::json::ParseError &e) {
                parse_error("arguments of " + std::string(name) + " are not valid JSON: " + e.what());
            }
            if (parsed.calls.size() == max_calls_)
                parse_error("more than " + std::to_string(max_calls_) + " tool calls in one answer");
            parsed.calls.push_back({std::string(name), std::string(arguments)});
            pos = close + kClose.size();
        }
        text += output.substr(pos);
        parsed.text = std::string(trim(text));
        return parsed;
    }

  private:
    size_t max_calls_ = 8;
};

}  // namespace

VEP_PLUGIN(FunctionTagFormat, "function-tag", "1.0.0", "tool calls as <function=NAME>{json}</function> (Llama 3.1 style)")
