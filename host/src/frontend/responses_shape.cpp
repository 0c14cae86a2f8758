// See responses_shape.hpp.
#include "frontend/responses_shape.hpp"

#include <ctime>

#include "frontend/chat_output.hpp"
#include "frontend/random_id.hpp"

namespace vep::host {
namespace {

json::Value usage_object(const json::Value &chat_usage) {
    const TokenCounts n = token_counts(chat_usage);
    json::Value input_details = json::Value::object();
    input_details.set("cached_tokens", n.cached);
    json::Value output_details = json::Value::object();
    output_details.set("reasoning_tokens", n.reasoning);
    json::Value usage = json::Value::object();
    usage.set("input_tokens", n.input);
    usage.set("input_tokens_details", std::move(input_details));
    usage.set("output_tokens", n.output);
    usage.set("output_tokens_details", std::move(output_details));
    usage.set("total_tokens", n.input + n.output);
    return usage;
}

json::Value text_part(std::string text) {
    json::Value part = json::Value::object();
    part.set("type", "output_text");
    part.set("text", std::move(text));
    part.set("annotations", json::Value::array());
    part.set("logprobs", json::Value::array());
    return part;
}

json::Value message_item(const std::string &id, const char *status, std::optional<std::string> text) {
    json::Value item = json::Value::object();
    item.set("id", id);
    item.set("type", "message");
    item.set("status", status);
    item.set("role", "assistant");
    json::Value content = json::Value::array();
    if (text) content.push_back(text_part(std::move(*text)));
    item.set("content", std::move(content));
    return item;
}

json::Value reasoning_item(const std::string &id, std::optional<std::string> text) {
    json::Value item = json::Value::object();
    item.set("id", id);
    item.set("type", "reasoning");
    item.set("summary", json::Value::array());
    json::Value content = json::Value::array();
    if (text) {
        json::Value part = json::Value::object();
        part.set("type", "reasoning_text");
        part.set("text", std::move(*text));
        content.push_back(std::move(part));
    }
    item.set("content", std::move(content));
    return item;
}

json::Value function_call_item(const ChatToolCallOut &call, const std::string &id, const char *status,
                               bool with_arguments) {
    json::Value item = json::Value::object();
    item.set("id", id);
    item.set("type", "function_call");
    item.set("status", status);
    item.set("call_id", call.id);
    item.set("name", call.name);
    item.set("arguments", with_arguments ? call.arguments : std::string());
    return item;
}

class ResponsesShape final : public AnswerShape {
  public:
    explicit ResponsesShape(const TranslatedRequest &request)
        : id_(random_id("resp_")), model_(request.model), created_at_(static_cast<int64_t>(std::time(nullptr))) {}

    std::vector<ShapedEvent> start() override {
        std::vector<ShapedEvent> out;
        json::Value created = json::Value::object();
        created.set("response", response("in_progress"));
        emit(out, "response.created", std::move(created));
        json::Value progress = json::Value::object();
        progress.set("response", response("in_progress"));
        emit(out, "response.in_progress", std::move(progress));
        return out;
    }

    std::vector<ShapedEvent> chunk(std::string_view chunk_json) override {
        std::vector<ShapedEvent> out;
        ChatOutput c = read_chat_chunk(chunk_json);
        if (c.reasoning && !c.reasoning->empty()) {
            open(out, Open::Reasoning);
            text_ += *c.reasoning;
            emit(out, "response.reasoning_text.delta", text_event("delta", *c.reasoning));
        }
        if (c.content && !c.content->empty()) {
            open(out, Open::Message);
            text_ += *c.content;
            json::Value event = text_event("delta", *c.content);
            event.set("logprobs", json::Value::array());
            emit(out, "response.output_text.delta", std::move(event));
        }
        for (const auto &call : c.tool_calls) function_call(out, call);
        if (c.finish_reason) {
            close(out);
            finish_reason_ = *c.finish_reason;
        }
        if (c.usage) usage_ = usage_object(*c.usage);
        return out;
    }

    std::vector<ShapedEvent> done() override {
        std::vector<ShapedEvent> out;
        close(out);
        const bool incomplete = finish_reason_ == "length";
        json::Value event = json::Value::object();
        event.set("response", response(incomplete ? "incomplete" : "completed"));
        emit(out, incomplete ? "response.incomplete" : "response.completed", std::move(event));
        return out;
    }

    std::string body(std::string_view completion_json) override {
        ChatOutput c = read_chat_completion(completion_json);
        if (c.reasoning && !c.reasoning->empty()) output_.push_back(reasoning_item(random_id("rs_"), c.reasoning));
        if ((c.content && !c.content->empty()) || c.tool_calls.empty())
            output_.push_back(message_item(random_id("msg_"), "completed", c.content.value_or("")));
        for (const auto &call : c.tool_calls)
            output_.push_back(function_call_item(call, random_id("fc_"), "completed", true));
        if (c.finish_reason) finish_reason_ = *c.finish_reason;
        if (c.usage) usage_ = usage_object(*c.usage);
        return json::dump(response(finish_reason_ == "length" ? "incomplete" : "completed"));
    }

    std::vector<ShapedEvent> stream_error(const ProxyError &error) override {
        std::vector<ShapedEvent> out;
        json::Value event = json::Value::object();
        event.set("code", error.code());
        event.set("message", std::string(error.what()));
        event.set("param", nullptr);
        emit(out, "error", std::move(event));
        json::Value failed = json::Value::object();
        json::Value r = response("failed");
        json::Value detail = json::Value::object();
        detail.set("code", error.code());
        detail.set("message", std::string(error.what()));
        r.set("error", std::move(detail));
        failed.set("response", std::move(r));
        emit(out, "response.failed", std::move(failed));
        return out;
    }

    std::string error_body(const ProxyError &error) const override { return error.to_json(); }

  private:
    enum class Open { None, Reasoning, Message };

    json::Value response(const char *status) const {
        json::Value r = json::Value::object();
        r.set("id", id_);
        r.set("object", "response");
        r.set("created_at", created_at_);
        r.set("status", status);
        r.set("model", model_);
        r.set("output", output_);
        r.set("usage", usage_);
        r.set("error", nullptr);
        json::Value incomplete = nullptr;
        if (std::string_view(status) == "incomplete") {
            incomplete = json::Value::object();
            incomplete.set("reason", "max_output_tokens");
        }
        r.set("incomplete_details", std::move(incomplete));
        r.set("store", false);
        return r;
    }

    void emit(std::vector<ShapedEvent> &out, const char *type, json::Value event) {
        out.push_back(typed_event(type, std::move(event), sequence_++));
    }

    // {item_id, output_index, content_index, <key>: text} of the open item.
    json::Value text_event(std::string_view key, const std::string &text) const {
        json::Value event = json::Value::object();
        event.set("item_id", item_id_);
        event.set("output_index", output_.as_array().size());
        event.set("content_index", 0);
        event.set(key, text);
        return event;
    }

    json::Value item_event(json::Value item) const {
        json::Value event = json::Value::object();
        event.set("output_index", output_.as_array().size());
        event.set("item", std::move(item));
        return event;
    }

    json::Value part_event(json::Value part) const {
        json::Value event = json::Value::object();
        event.set("item_id", item_id_);
        event.set("output_index", output_.as_array().size());
        event.set("content_index", 0);
        event.set("part", std::move(part));
        return event;
    }

    void open(std::vector<ShapedEvent> &out, Open kind) {
        if (open_ == kind) return;
        close(out);
        open_ = kind;
        text_.clear();
        if (kind == Open::Reasoning) {
            item_id_ = random_id("rs_");
            emit(out, "response.output_item.added", item_event(reasoning_item(item_id_, std::nullopt)));
        } else {
            item_id_ = random_id("msg_");
            emit(out, "response.output_item.added", item_event(message_item(item_id_, "in_progress", std::nullopt)));
            emit(out, "response.content_part.added", part_event(text_part("")));
        }
    }

    void close(std::vector<ShapedEvent> &out) {
        if (open_ == Open::None) return;
        json::Value item;
        if (open_ == Open::Reasoning) {
            emit(out, "response.reasoning_text.done", text_event("text", text_));
            item = reasoning_item(item_id_, text_);
        } else {
            json::Value event = text_event("text", text_);
            event.set("logprobs", json::Value::array());
            emit(out, "response.output_text.done", std::move(event));
            emit(out, "response.content_part.done", part_event(text_part(text_)));
            item = message_item(item_id_, "completed", text_);
        }
        emit(out, "response.output_item.done", item_event(item));
        output_.push_back(std::move(item));
        open_ = Open::None;
    }

    void function_call(std::vector<ShapedEvent> &out, const ChatToolCallOut &call) {
        close(out);
        item_id_ = random_id("fc_");
        emit(out, "response.output_item.added", item_event(function_call_item(call, item_id_, "in_progress", false)));
        json::Value delta = json::Value::object();
        delta.set("item_id", item_id_);
        delta.set("output_index", output_.as_array().size());
        delta.set("delta", call.arguments);
        emit(out, "response.function_call_arguments.delta", std::move(delta));
        json::Value done = json::Value::object();
        done.set("item_id", item_id_);
        done.set("output_index", output_.as_array().size());
        done.set("name", call.name);
        done.set("arguments", call.arguments);
        emit(out, "response.function_call_arguments.done", std::move(done));
        json::Value item = function_call_item(call, item_id_, "completed", true);
        emit(out, "response.output_item.done", item_event(item));
        output_.push_back(std::move(item));
    }

    std::string id_;
    std::string model_;
    int64_t created_at_;
    uint64_t sequence_ = 0;
    json::Value output_ = json::Value::array();
    json::Value usage_ = nullptr;
    std::string finish_reason_;
    Open open_ = Open::None;
    std::string item_id_;
    std::string text_;
};

}  // namespace

std::unique_ptr<AnswerShape> make_responses_shape(const TranslatedRequest &request) {
    return std::make_unique<ResponsesShape>(request);
}

}  // namespace vep::host
