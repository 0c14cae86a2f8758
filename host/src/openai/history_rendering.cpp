// See history_rendering.hpp.
#include "openai/history_rendering.hpp"

#include "vep/sdk.hpp"

namespace vep::host {
namespace {

// One validated history entry (shape checked by the parser): {id, type, function:{name, arguments}}.
std::string render_previous_tool_call(const json::Value &call) {
    const json::Value &function = *call.find("function");
    return previous_tool_call_text(call.find("id")->as_string(), function.find("name")->as_string(),
                                   json::dump_sorted(json::parse(function.find("arguments")->as_string())));
}

std::string render_previous_tool_calls(const json::Value &tool_calls) {
    std::string out;
    for (const auto &call : tool_calls.as_array()) {
        if (!out.empty()) out += '\n';
        out += render_previous_tool_call(call);
    }
    return out;
}

}  // namespace

HistoryRenderer default_history_renderer() {
    return HistoryRenderer{render_previous_tool_calls, tool_result_text};
}

std::vector<UpstreamMessage> render_messages(const std::vector<ChatMessage> &messages,
                                             const HistoryRenderer &renderer) {
    std::vector<UpstreamMessage> out;
    out.reserve(messages.size());
    for (const auto &message : messages) {
        if (message.role == "tool") {
            out.push_back({"user", renderer.tool_result(message.tool_call_id, message.text)});
        } else if (message.role == "assistant" && message.tool_calls) {
            std::string calls = renderer.tool_calls(*message.tool_calls);
            out.push_back({"assistant", message.text.empty() ? std::move(calls) : message.text + "\n\n" + calls});
        } else {
            out.push_back({message.role, message.text});
        }
    }
    return out;
}

}  // namespace vep::host
