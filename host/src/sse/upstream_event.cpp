#include "sse/upstream_event.hpp"

#include "openai/unicode_trim.hpp"
#include "sse/choice_chunk_reader.hpp"

namespace vep::host {
namespace {

[[noreturn]] void malformed(const std::string &detail) { throw malformed_upstream_stream(detail); }

UpstreamIdentity take_identity(json::Value &chunk) {
    UpstreamIdentity out;
    auto take_string = [&](std::string_view key, std::optional<std::string> &into) {
        if (json::Value *v = chunk.find(key); v && v->is_string()) into = std::move(v->as_string());
    };
    take_string("id", out.id);
    take_string("object", out.object);
    take_string("model", out.model);
    int64_t created = 0;
    if (const json::Value *v = chunk.find("created"); v && v->get_i64(created)) out.created = created;
    return out;
}

// delta.<field>: absent, null or "" => nullopt; a non-empty string => its text; else malformed.
std::optional<std::string> take_delta_text(json::Value *delta, std::string_view field) {
    if (delta == nullptr) return std::nullopt;
    json::Value *value = delta->find(field);
    if (value == nullptr || value->is_null()) return std::nullopt;
    if (!value->is_string()) malformed("upstream delta." + std::string(field) + " must be a string or null");
    if (value->as_string().empty()) return std::nullopt;
    return std::move(value->as_string());
}

upstream_event::Choice take_choice(json::Value &chunk, json::Value &choice) {
    if (!choice.is_object()) malformed("upstream choice must be a JSON object");
    upstream_event::Choice out;
    if (const json::Value *index = choice.find("index")) {
        if (!index->get_u64(out.index)) malformed("upstream choice index must be a non-negative integer");
    }
    if (json::Value *finish = choice.find("finish_reason"); finish && !finish->is_null()) {
        if (!finish->is_string()) malformed("upstream finish_reason must be a string or null");
        out.finish_reason = std::move(finish->as_string());
    }
    json::Value *delta = choice.find("delta");  // a non-object delta carries no fields
    out.content = take_delta_text(delta, "content");
    out.reasoning_content = take_delta_text(delta, "reasoning_content");
    if (json::Value *calls = delta ? delta->find("tool_calls") : nullptr; calls && !calls->is_null()) {
        if (!calls->is_array()) malformed("upstream delta.tool_calls must be an array or null");
        if (!calls->as_array().empty()) out.tool_calls = std::move(*calls);
    }
    out.identity = take_identity(chunk);
    return out;
}

}  // namespace

UpstreamEvent classify_upstream_event(SseEvent &&event) {
    if (event.event && *event.event == "error") return upstream_event::Error{std::move(event.data)};
    if (unicode_trim(event.data) == "[DONE]") return upstream_event::Done{};
    if (auto choice = read_choice_chunk(event.data)) return std::move(*choice);
    return classify_upstream_json(event.data);
}

UpstreamEvent classify_upstream_json(std::string_view data) {
    json::Value chunk;
    try {
        chunk = json::parse(data);
    } catch (const json::ParseError &e) {
        malformed(std::string("upstream SSE data is not valid JSON: ") + e.what());
    }
    if (const json::Value *error = chunk.find("error")) return upstream_event::Error{json::dump_sorted(*error)};

    json::Value *choices = chunk.find("choices");
    if (choices == nullptr || !choices->is_array()) malformed("upstream chat chunk is missing choices array");
    auto &list = choices->as_array();
    if (list.empty()) {
        json::Value *usage = chunk.find("usage");
        if (usage == nullptr) malformed("upstream chunk has no choices and no usage");
        json::Value usage_value = std::move(*usage);
        return upstream_event::UsageOnly{take_identity(chunk), std::move(usage_value)};
    }
    if (list.size() != 1)
        malformed("expected exactly one upstream choice, got " + std::to_string(list.size()));
    json::Value choice = std::move(list.front());
    return take_choice(chunk, choice);
}

ProxyError stream_error(const upstream_event::Error &error) {
    return ProxyError::of("upstream_stream_error", "Venice upstream stream emitted an error event: " + error.message);
}

}  // namespace vep::host
