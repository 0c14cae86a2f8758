#include "openai/chat_response.hpp"

namespace vep::host {
namespace {

void append_key(std::string &out, std::string_view key) {
    out += '"';
    out += key;  // keys here are fixed ASCII identifiers
    out += "\":";
}

void append_tool_call(std::string &out, const OutgoingToolCall &call, const uint64_t *index) {
    out += "{\"function\":{\"arguments\":";
    json::write_string(out, call.arguments);
    out += ",\"name\":";
    json::write_string(out, call.name);
    out += "},\"id\":";
    json::write_string(out, call.id);
    if (index != nullptr) {
        out += ",\"index\":";
        out += std::to_string(*index);
    }
    out += ",\"type\":\"function\"}";
}

// Trailing identity members in sorted order: created, id, model, object.
void append_identity_tail(std::string &out, const ResponseIdentity &identity, std::string_view object) {
    out += ",\"created\":";
    out += std::to_string(identity.created);
    out += ",\"id\":";
    json::write_string(out, identity.id);
    out += ",\"model\":";
    json::write_string(out, identity.model);
    out += ",\"object\":";
    json::write_string(out, object);
}

}  // namespace

std::string build_stream_chunk(const ResponseIdentity &identity, uint64_t choice_index, const ChunkDelta &delta,
                               std::optional<std::string_view> finish_reason) {
    std::string out;
    out.reserve(160 + identity.id.size() + identity.model.size() + (delta.content ? delta.content->size() : 0) +
                (delta.reasoning_content ? delta.reasoning_content->size() : 0));
    out += "{\"choices\":[{\"delta\":{";
    bool first = true;
    auto separator = [&] {
        if (!first) out += ',';
        first = false;
    };
    if (delta.content) {
        separator();
        append_key(out, "content");
        json::write_string(out, *delta.content);
    }
    if (delta.reasoning_content) {
        separator();
        append_key(out, "reasoning_content");
        json::write_string(out, *delta.reasoning_content);
    }
    if (delta.role) {
        separator();
        out += "\"role\":\"assistant\"";
    }
    if (!delta.tool_calls.empty()) {
        separator();
        out += "\"tool_calls\":[";
        for (size_t i = 0; i < delta.tool_calls.size(); ++i) {
            if (i > 0) out += ',';
            append_tool_call(out, *delta.tool_calls[i].call, &delta.tool_calls[i].index);
        }
        out += ']';
    } else if (delta.native_tool_calls) {
        separator();
        append_key(out, "tool_calls");
        json::write(out, *delta.native_tool_calls);
    }
    out += "},\"finish_reason\":";
    if (finish_reason) json::write_string(out, *finish_reason);
    else out += "null";
    out += ",\"index\":";
    out += std::to_string(choice_index);
    out += "}]";
    append_identity_tail(out, identity, identity.object);
    out += '}';
    return out;
}

std::string build_usage_chunk(const ResponseIdentity &identity, const json::Value &usage) {
    std::string out = "{\"choices\":[]";
    append_identity_tail(out, identity, identity.object);
    out += ",\"usage\":";
    json::write(out, usage, json::WriteOptions{true});
    out += '}';
    return out;
}

std::string build_completion_body(const BufferedCompletion &c) {
    std::string out = "{\"choices\":[{\"finish_reason\":";
    json::write_string(out, c.finish_reason);
    out += ",\"index\":";
    out += std::to_string(c.choice_index);
    out += ",\"message\":{\"content\":";
    if (c.content) json::write_string(out, *c.content);
    else out += "null";
    if (!c.reasoning_content.empty()) {
        out += ",\"reasoning_content\":";
        json::write_string(out, c.reasoning_content);
    }
    out += ",\"role\":\"assistant\"";
    if (!c.tool_calls.empty()) {
        out += ",\"tool_calls\":[";
        for (size_t i = 0; i < c.tool_calls.size(); ++i) {
            if (i > 0) out += ',';
            append_tool_call(out, c.tool_calls[i], nullptr);
        }
        out += ']';
    }
    out += "}}]";
    append_identity_tail(out, c.identity, "chat.completion");
    out += ",\"usage\":";
    if (c.usage) json::write(out, *c.usage, json::WriteOptions{true});
    else out += "null";
    out += '}';
    return out;
}

}  // namespace vep::host
