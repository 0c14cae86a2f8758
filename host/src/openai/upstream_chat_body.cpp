#include "openai/upstream_chat_body.hpp"

namespace vep::host {
namespace {

void append_member(std::string &out, std::string_view key, const std::optional<json::Value> &value) {
    if (!value) return;
    out += ',';
    json::write_string(out, key);
    out += ':';
    json::write(out, *value);
}

// Everything after "messages": stream, stream_options, venice_parameters, sampling fields.
void append_tail(std::string &out, const ParsedChatRequest &request, bool e2ee) {
    out += ",\"stream\":true,\"stream_options\":{\"include_usage\":";
    out += request.include_usage.value_or(true) ? "true" : "false";
    out += "},\"venice_parameters\":{\"enable_e2ee\":";
    out += e2ee ? "true" : "false";
    out += ",\"include_venice_system_prompt\":false,\"strip_thinking_response\":";
    out += request.strip_thinking_response ? "true" : "false";
    out += ",\"disable_thinking\":";
    out += request.disable_thinking ? "true" : "false";
    out += ",\"enable_web_search\":\"off\"}";
    append_member(out, "temperature", request.temperature);
    append_member(out, "top_p", request.top_p);
    append_member(out, "max_tokens", request.max_tokens);
    append_member(out, "max_completion_tokens", request.max_completion_tokens);
    append_member(out, "stop", request.stop);
    append_member(out, "reasoning", request.reasoning);
    if (request.reasoning_effort) append_member(out, "reasoning_effort", json::Value(*request.reasoning_effort));
    out += '}';
}

json::Value native_message(const ChatMessage &m) {
    json::Value out = json::Value::object();
    out.set("role", m.role);
    const bool calls_only = m.tool_calls && m.text.empty();
    out.set("content", calls_only ? json::Value(nullptr) : json::Value(m.text));
    if (m.tool_calls) out.set("tool_calls", *m.tool_calls);
    if (m.role == "tool") out.set("tool_call_id", m.tool_call_id);
    return out;
}

json::Value native_tools(const std::vector<ToolDefinition> &tools) {
    json::Value out = json::Value::array();
    for (const auto &tool : tools) {
        json::Value function = json::Value::object();
        function.set("name", tool.name);
        if (tool.description) function.set("description", *tool.description);
        if (tool.parameters) function.set("parameters", *tool.parameters);
        json::Value entry = json::Value::object();
        entry.set("type", "function");
        entry.set("function", std::move(function));
        out.push_back(std::move(entry));
    }
    return out;
}

json::Value native_tool_choice(const ToolChoice &choice) {
    switch (choice.kind) {
    case ToolChoice::Kind::None: return json::Value("none");
    case ToolChoice::Kind::Required: return json::Value("required");
    case ToolChoice::Kind::Named: {
        json::Value function = json::Value::object();
        function.set("name", choice.name);
        json::Value named = json::Value::object();
        named.set("type", "function");
        named.set("function", std::move(function));
        return named;
    }
    case ToolChoice::Kind::Auto: break;
    }
    return json::Value("auto");
}

}  // namespace

std::string build_upstream_body(const ParsedChatRequest &request,
                                const std::vector<UpstreamMessage> &encrypted_messages) {
    std::string out;
    size_t estimate = 256 + request.model.size();
    for (const auto &m : encrypted_messages) estimate += m.role.size() + m.content.size() + 32;
    out.reserve(estimate);

    out += "{\"model\":";
    json::write_string(out, request.model);
    out += ",\"messages\":[";
    for (size_t i = 0; i < encrypted_messages.size(); ++i) {
        if (i > 0) out += ',';
        out += "{\"role\":";
        json::write_string(out, encrypted_messages[i].role);
        out += ",\"content\":";
        json::write_string(out, encrypted_messages[i].content);
        out += '}';
    }
    out += ']';
    append_tail(out, request, true);
    return out;
}

std::string build_tee_only_upstream_body(const ParsedChatRequest &request) {
    std::string out = "{\"model\":";
    json::write_string(out, request.model);
    out += ",\"messages\":[";
    for (size_t i = 0; i < request.messages.size(); ++i) {
        if (i > 0) out += ',';
        json::write(out, native_message(request.messages[i]));
    }
    out += ']';
    if (!request.tools.empty()) {
        out += ",\"tools\":";
        json::write(out, native_tools(request.tools));
        out += ",\"tool_choice\":";
        json::write(out, native_tool_choice(request.tool_choice));
    }
    append_tail(out, request, false);
    return out;
}

}  // namespace vep::host
