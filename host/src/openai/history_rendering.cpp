#include "openai/history_rendering.hpp"

namespace vep::host {
namespace {

// One validated history entry (shape checked by the parser): {id, type, function:{name, arguments}}.
std::string render_previous_tool_call(const json::Value &call) {
    const json::Value &function = *call.find("function");
    std::string out = "<previous_tool_call id=\"";
    out += escape_xml_attribute(call.find("id")->as_string());
    out += "\" name=\"";
    out += escape_xml_attribute(function.find("name")->as_string());
    out += "\">\n";
    out += json::dump_sorted(json::parse(function.find("arguments")->as_string()));
    out += "\n</previous_tool_call>";
    return out;
}

std::string render_previous_tool_calls(const json::Value &tool_calls) {
    std::string out;
    for (const auto &call : tool_calls.as_array()) {
        if (!out.empty()) out += '\n';
        out += render_previous_tool_call(call);
    }
    return out;
}

std::string render_tool_result(std::string_view tool_call_id, std::string_view content) {
    std::string out = "<tool_result id=\"";
    out += escape_xml_attribute(tool_call_id);
    out += "\">\n";
    out += content;
    out += "\n</tool_result>\n\nUse the tool result above to continue the answer.";
    return out;
}

}  // namespace

std::string escape_xml_attribute(std::string_view value) {
    std::string out;
    out.reserve(value.size());
    for (const char c : value) {
        switch (c) {
        case '&': out += "&amp;"; break;
        case '"': out += "&quot;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        default: out += c;
        }
    }
    return out;
}

HistoryRenderer default_history_renderer() {
    return HistoryRenderer{render_previous_tool_calls, render_tool_result};
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
