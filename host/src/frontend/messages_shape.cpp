// See messages_shape.hpp.
#include "frontend/messages_shape.hpp"

#include "frontend/anthropic_error.hpp"
#include "frontend/chat_output.hpp"
#include "frontend/random_id.hpp"

namespace vep::host {
namespace {

std::string stop_reason(const std::string &finish_reason) {
    if (finish_reason == "length") return "max_tokens";
    if (finish_reason == "tool_calls") return "tool_use";
    return "end_turn";
}

// The chat tool call's id as a tool_use id (call_<hex> -> toolu_<hex>).
std::string tool_use_id(const std::string &call_id) {
    if (call_id.rfind("call_", 0) == 0) return "toolu_" + call_id.substr(5);
    return call_id;
}

json::Value tool_input(const std::string &arguments) {
    try {
        json::Value input = json::parse(arguments);
        if (input.is_object()) return input;
    } catch (const json::ParseError &) {
    }
    throw ProxyError::of("internal_error", "a validated tool call's arguments are not a JSON object");
}

json::Value usage_object(const std::optional<json::Value> &chat_usage) {
    const TokenCounts n = chat_usage ? token_counts(*chat_usage) : TokenCounts{};
    json::Value usage = json::Value::object();
    usage.set("input_tokens", n.input);
    usage.set("output_tokens", n.output);
    return usage;
}

class MessagesShape final : public AnswerShape {
  public:
    explicit MessagesShape(const TranslatedRequest &request) : id_(random_id("msg_")), model_(request.model) {}

    std::vector<ShapedEvent> start() override {
        std::vector<ShapedEvent> out;
        json::Value start = json::Value::object();
        start.set("message", message(json::Value::array(), nullptr, std::nullopt));
        emit(out, "message_start", std::move(start));
        emit(out, "ping", json::Value::object());
        return out;
    }

    std::vector<ShapedEvent> chunk(std::string_view chunk_json) override {
        std::vector<ShapedEvent> out;
        ChatOutput c = read_chat_chunk(chunk_json);
        if (c.reasoning && !c.reasoning->empty()) {
            open(out, Open::Thinking);
            json::Value delta = json::Value::object();
            delta.set("type", "thinking_delta");
            delta.set("thinking", *c.reasoning);
            emit(out, "content_block_delta", block_delta(std::move(delta)));
        }
        if (c.content && !c.content->empty()) {
            open(out, Open::Text);
            json::Value delta = json::Value::object();
            delta.set("type", "text_delta");
            delta.set("text", *c.content);
            emit(out, "content_block_delta", block_delta(std::move(delta)));
        }
        for (const auto &call : c.tool_calls) tool_use(out, call);
        if (c.finish_reason) {
            close(out);
            finish_reason_ = *c.finish_reason;
        }
        if (c.usage) usage_ = c.usage;
        return out;
    }

    std::vector<ShapedEvent> done() override {
        std::vector<ShapedEvent> out;
        close(out);
        json::Value delta = json::Value::object();
        delta.set("stop_reason", stop_reason(finish_reason_));
        delta.set("stop_sequence", nullptr);
        json::Value event = json::Value::object();
        event.set("delta", std::move(delta));
        event.set("usage", usage_object(usage_));
        emit(out, "message_delta", std::move(event));
        emit(out, "message_stop", json::Value::object());
        return out;
    }

    std::string body(std::string_view completion_json) override {
        ChatOutput c = read_chat_completion(completion_json);
        json::Value content = json::Value::array();
        if (c.reasoning && !c.reasoning->empty()) content.push_back(thinking_block(*c.reasoning));
        if (c.content && !c.content->empty()) content.push_back(text_block(*c.content));
        for (const auto &call : c.tool_calls) content.push_back(tool_use_block(call, tool_input(call.arguments)));
        return json::dump(message(std::move(content), stop_reason(c.finish_reason.value_or("stop")), c.usage));
    }

    std::vector<ShapedEvent> stream_error(const ProxyError &error) override {
        return {{"error", json::dump(anthropic_error(error))}};
    }

    std::string error_body(const ProxyError &error) const override { return anthropic_error_body(error); }

  private:
    enum class Open { None, Thinking, Text };

    json::Value message(json::Value content, json::Value stop, const std::optional<json::Value> &usage) const {
        json::Value m = json::Value::object();
        m.set("id", id_);
        m.set("type", "message");
        m.set("role", "assistant");
        m.set("model", model_);
        m.set("content", std::move(content));
        m.set("stop_reason", std::move(stop));
        m.set("stop_sequence", nullptr);
        m.set("usage", usage_object(usage));
        return m;
    }

    static json::Value text_block(std::string text) {
        json::Value block = json::Value::object();
        block.set("type", "text");
        block.set("text", std::move(text));
        return block;
    }

    static json::Value thinking_block(std::string thinking) {
        json::Value block = json::Value::object();
        block.set("type", "thinking");
        block.set("thinking", std::move(thinking));
        block.set("signature", "");
        return block;
    }

    static json::Value tool_use_block(const ChatToolCallOut &call, json::Value input) {
        json::Value block = json::Value::object();
        block.set("type", "tool_use");
        block.set("id", tool_use_id(call.id));
        block.set("name", call.name);
        block.set("input", std::move(input));
        return block;
    }

    static void emit(std::vector<ShapedEvent> &out, const char *type, json::Value event) {
        out.push_back(typed_event(type, std::move(event)));
    }

    json::Value block_delta(json::Value delta) const {
        json::Value event = json::Value::object();
        event.set("index", index_);
        event.set("delta", std::move(delta));
        return event;
    }

    void start_block(std::vector<ShapedEvent> &out, json::Value block) {
        json::Value event = json::Value::object();
        event.set("index", index_);
        event.set("content_block", std::move(block));
        emit(out, "content_block_start", std::move(event));
    }

    void stop_block(std::vector<ShapedEvent> &out) {
        json::Value event = json::Value::object();
        event.set("index", index_);
        emit(out, "content_block_stop", std::move(event));
        ++index_;
    }

    void open(std::vector<ShapedEvent> &out, Open kind) {
        if (open_ == kind) return;
        close(out);
        open_ = kind;
        start_block(out, kind == Open::Thinking ? thinking_block("") : text_block(""));
    }

    void close(std::vector<ShapedEvent> &out) {
        if (open_ == Open::None) return;
        stop_block(out);
        open_ = Open::None;
    }

    void tool_use(std::vector<ShapedEvent> &out, const ChatToolCallOut &call) {
        close(out);
        start_block(out, tool_use_block(call, json::Value::object()));
        json::Value delta = json::Value::object();
        delta.set("type", "input_json_delta");
        delta.set("partial_json", call.arguments);
        emit(out, "content_block_delta", block_delta(std::move(delta)));
        stop_block(out);
    }

    std::string id_;
    std::string model_;
    uint64_t index_ = 0;
    Open open_ = Open::None;
    std::string finish_reason_ = "stop";
    std::optional<json::Value> usage_;
};

}  // namespace

std::unique_ptr<AnswerShape> make_messages_shape(const TranslatedRequest &request) {
    return std::make_unique<MessagesShape>(request);
}

}  // namespace vep::host
