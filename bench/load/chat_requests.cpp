// See chat_requests.hpp.
#include "chat_requests.hpp"

#include "vep/json.hpp"

namespace vep::bench {
namespace {

constexpr std::string_view kFiller = "abcdefghijklmnopqrstuvwxyz0123456789 ";

// Filler turns of a realistic size (~200 characters) for long conversations.
std::string turn_text(int index, bool user) {
    std::string text = user ? "Question " : "Answer ";
    text += std::to_string(index);
    text += user ? ": could you look at the build log and tell me which step failed and why? "
                 : ": the link step failed because the symbol was defined in two translation units. ";
    while (text.size() < 200) text += "More detail follows. ";
    return text;
}

}  // namespace

std::string chat_body(const ConversationShape &shape, const std::function<std::string(const std::string &)> &seal,
                      bool direct) {
    json::Value messages = json::Value::array();
    auto add = [&](const char *role, const std::string &text) {
        json::Value m = json::Value::object();
        m.set("role", role);
        m.set("content", seal(text));
        messages.push_back(std::move(m));
    };
    const int history = shape.messages - 1;
    for (int i = 0; i < history; ++i) {
        if (i == 0) add("system", "You are a careful assistant. Answer briefly and precisely.");
        else add(i % 2 == 1 ? "user" : "assistant", turn_text(i, i % 2 == 1));
    }
    add("user", "sim:scenario=long chunks=" + std::to_string(shape.chunks) + " chunk_bytes=" +
                    std::to_string(shape.chunk_bytes) + " interval_ms=" + std::to_string(shape.interval_ms));
    json::Value body = json::Value::object();
    body.set("model", shape.model);
    body.set("messages", std::move(messages));
    body.set("stream", true);
    if (direct) {
        json::Value vp = json::Value::object();
        vp.set("enable_e2ee", true);
        body.set("venice_parameters", std::move(vp));
    }
    return json::dump(body);
}

std::string http_post(const std::string &path, const std::string &body, const std::map<std::string, std::string> &headers,
                      bool keep_alive) {
    std::string out = "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                      "Accept: text/event-stream\r\n";
    out += keep_alive ? "Connection: keep-alive\r\n" : "Connection: close\r\n";
    for (const auto &h : headers) out += h.first + ": " + h.second + "\r\n";
    out += "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
    return out;
}

std::string long_chunk_text(size_t index, int chunk_bytes) {
    std::string out;
    for (size_t i = 0; i < static_cast<size_t>(chunk_bytes); ++i) out += kFiller[(index + i) % kFiller.size()];
    return out;
}

EventVerdict classify_chat_event(const SseClientEvent &event, std::string &content, std::string &why) {
    if (event.name == "error") {
        why = "error event";
        return EventVerdict::Failure;
    }
    if (event.data == "[DONE]") return EventVerdict::Done;
    json::Value chunk;
    try {
        chunk = json::parse(event.data);
    } catch (const json::ParseError &) {
        why = "event data is not JSON";
        return EventVerdict::Failure;
    }
    if (const json::Value *error = chunk.find("error")) {
        const json::Value *code = error->find("code");
        why = "error chunk" + (code && code->is_string() ? " " + code->as_string() : std::string());
        return EventVerdict::Failure;
    }
    content.clear();
    const json::Value *choices = chunk.find("choices");
    if (!choices || !choices->is_array() || choices->as_array().empty()) return EventVerdict::Other;
    const json::Value *delta = choices->as_array().front().find("delta");
    if (!delta) return EventVerdict::Other;
    if (const json::Value *c = delta->find("content"); c && c->is_string()) content = c->as_string();
    return content.empty() ? EventVerdict::Other : EventVerdict::Content;
}

EventJudge plain_judge(int chunk_bytes) {
    return [chunk_bytes](const SseClientEvent &event, size_t index, std::string &why) {
        std::string content;
        const EventVerdict verdict = classify_chat_event(event, content, why);
        if (verdict == EventVerdict::Content && content != long_chunk_text(index, chunk_bytes)) {
            why = "content chunk " + std::to_string(index) + " differs from what venice-sim sent";
            return EventVerdict::Failure;
        }
        return verdict;
    };
}

}  // namespace vep::bench
