// See chat_request_builder.hpp.
#include "frontend/chat_request_builder.hpp"

namespace vep::host {

void ChatRequestBuilder::add_message(std::string_view role, std::string text) {
    json::Value message = json::Value::object();
    message.set("role", role);
    message.set("content", std::move(text));
    messages_.push_back(std::move(message));
    last_is_assistant_ = role == "assistant";
}

void ChatRequestBuilder::add_tool_call(std::string id, std::string name, std::string arguments) {
    if (!last_is_assistant_) {
        json::Value message = json::Value::object();
        message.set("role", "assistant");
        message.set("content", nullptr);
        messages_.push_back(std::move(message));
        last_is_assistant_ = true;
    }
    json::Value &message = messages_.as_array().back();
    json::Value *calls = message.find("tool_calls");
    if (calls == nullptr) calls = &message.set("tool_calls", json::Value::array());
    json::Value function = json::Value::object();
    function.set("name", std::move(name));
    function.set("arguments", std::move(arguments));
    json::Value call = json::Value::object();
    call.set("id", std::move(id));
    call.set("type", "function");
    call.set("function", std::move(function));
    calls->push_back(std::move(call));
}

void ChatRequestBuilder::add_tool_result(std::string id, std::string text) {
    json::Value message = json::Value::object();
    message.set("role", "tool");
    message.set("tool_call_id", std::move(id));
    message.set("content", std::move(text));
    messages_.push_back(std::move(message));
    last_is_assistant_ = false;
}

std::string ChatRequestBuilder::copy_model(const json::Value &request) {
    const json::Value *model = request.find("model");
    if (model == nullptr) throw ProxyError::of("invalid_request", "missing required field model");
    body_.set("model", *model);
    return model->is_string() ? model->as_string() : std::string();
}

bool ChatRequestBuilder::copy_stream(const json::Value &request) {
    const json::Value *stream = translation::present(request, "stream");
    if (stream == nullptr) return false;
    if (!stream->is_bool()) translation::invalid("stream must be a boolean");
    body_.set("stream", stream->as_bool());
    if (!stream->as_bool()) return false;
    json::Value options = json::Value::object();
    options.set("include_usage", true);
    body_.set("stream_options", std::move(options));
    return true;
}

void ChatRequestBuilder::set_tools(json::Value tools) {
    if (!tools.as_array().empty()) body_.set("tools", std::move(tools));
}

json::Value ChatRequestBuilder::function_tool(const std::string &name, const json::Value *description,
                                              const json::Value *parameters) {
    json::Value function = json::Value::object();
    function.set("name", name);
    if (description != nullptr) function.set("description", *description);
    if (parameters != nullptr) function.set("parameters", *parameters);
    json::Value tool = json::Value::object();
    tool.set("type", "function");
    tool.set("function", std::move(function));
    return tool;
}

json::Value ChatRequestBuilder::named_tool_choice(const std::string &name) {
    json::Value function = json::Value::object();
    function.set("name", name);
    json::Value choice = json::Value::object();
    choice.set("type", "function");
    choice.set("function", std::move(function));
    return choice;
}

std::string ChatRequestBuilder::body() const {
    json::Value body = body_;
    body.set("messages", messages_);
    return json::dump(body);
}

namespace translation {

const json::Value *present(const json::Value &object, std::string_view key) {
    const json::Value *v = object.find(key);
    return v == nullptr || v->is_null() ? nullptr : v;
}

const std::string &required_string(const json::Value &object, std::string_view key, const std::string &path) {
    const json::Value *v = object.find(key);
    if (v == nullptr || !v->is_string()) invalid(path + "." + std::string(key) + " must be a string");
    return v->as_string();
}

void invalid(const std::string &message) { throw ProxyError::of("invalid_request", "invalid request: " + message); }

void unsupported(std::string_view field, const std::string &reason) {
    throw ProxyError::of("unsupported_request_field", "unsupported request field " + std::string(field) + ": " + reason);
}

void unsupported_content(const std::string &path, const std::string &detail) {
    throw ProxyError::of("unsupported_message_content", "unsupported message content at " + path + ": " + detail);
}

json::Value parse_object(std::string_view body) {
    json::Value value;
    try {
        value = json::parse(body);
    } catch (const json::ParseError &e) {
        throw ProxyError::of("invalid_json", std::string("request body is not valid JSON: ") + e.what());
    }
    if (!value.is_object()) invalid("request body must be a JSON object");
    return value;
}

std::string kind(const json::Value &value) { return json::kind_name(value.kind()); }

std::string quoted(std::string_view value) {
    std::string out;
    json::write_string(out, value.substr(0, 128));
    return out;
}

void for_each_object(const json::Value &array, const std::string &path,
                     const std::function<void(const json::Value &, const std::string &)> &visit) {
    const json::Array &elements = array.as_array();
    for (size_t i = 0; i < elements.size(); ++i) {
        const std::string element_path = path + "[" + std::to_string(i) + "]";
        if (!elements[i].is_object()) invalid(element_path + " must be an object");
        visit(elements[i], element_path);
    }
}

void append_paragraph(std::string &text, std::string_view piece) {
    if (!text.empty() && !piece.empty()) text += "\n\n";
    text += piece;
}

std::string joined_text(const json::Value &content, const std::string &path, std::string_view part_name,
                        const std::function<std::string(const json::Value &, const std::string &)> &text_of_part) {
    if (content.is_string()) return content.as_string();
    if (!content.is_array())
        invalid(path + " must be a string or an array of " + std::string(part_name) + "s, got " + kind(content));
    std::string text;
    for_each_object(content, path, [&](const json::Value &part, const std::string &part_path) {
        append_paragraph(text, text_of_part(part, part_path));
    });
    return text;
}

}  // namespace translation

}  // namespace vep::host
