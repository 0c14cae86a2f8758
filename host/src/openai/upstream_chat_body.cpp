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
    out += "],\"stream\":true,\"stream_options\":{\"include_usage\":";
    out += request.include_usage.value_or(true) ? "true" : "false";
    out += "},\"venice_parameters\":{\"enable_e2ee\":true,\"include_venice_system_prompt\":false,"
           "\"strip_thinking_response\":";
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
    return out;
}

}  // namespace vep::host
