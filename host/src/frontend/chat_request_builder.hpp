// ChatRequestBuilder: the OpenAI chat completions request another client API's request becomes —
// messages in order (assistant tool calls joined to the assistant turn they belong to, tool
// results as tool messages), the forwarded fields, and the body text the pipeline parses like any
// chat request (so every chat rule, limit and stage applies unchanged). Also the reading and
// request-error helpers the translators share. Used by responses_request.cpp and messages_request.cpp.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "errors/proxy_error.hpp"
#include "vep/json.hpp"

namespace vep::host {

class ChatRequestBuilder {
  public:
    ChatRequestBuilder() : body_(json::Value::object()), messages_(json::Value::array()) {}

    // A system, developer, user or assistant message.
    void add_message(std::string_view role, std::string text);
    // A function call of the assistant: joined to the assistant message just added (one turn),
    // else a new assistant message with no text.
    void add_tool_call(std::string id, std::string name, std::string arguments);
    // The result of the call `id`.
    void add_tool_result(std::string id, std::string text);
    // A top-level member of the chat request (model, tools, ...).
    void set(std::string_view key, json::Value value) { body_.set(key, std::move(value)); }
    // The client request's `model` (required; checked by the chat parser); returns it ("" when not
    // a string).
    std::string copy_model(const json::Value &request);
    // The client request's `stream` (a boolean when present) and, for a stream, the usage chunk
    // the answer's usage comes from; returns whether it streams.
    bool copy_stream(const json::Value &request);
    // `tools` unless `tools` is empty.
    void set_tools(json::Value tools);

    // {"type":"function","function":{name[,description][,parameters]}} (null members left out).
    static json::Value function_tool(const std::string &name, const json::Value *description,
                                     const json::Value *parameters);
    // {"type":"function","function":{"name":name}}
    static json::Value named_tool_choice(const std::string &name);

    // The chat completions request body.
    std::string body() const;

  private:
    json::Value body_;
    json::Value messages_;
    bool last_is_assistant_ = false;
};

namespace translation {

// The member `key` of `object` unless absent or null.
const json::Value *present(const json::Value &object, std::string_view key);
// The string member `key`; invalid_request "<path>.<key> must be a string" otherwise.
const std::string &required_string(const json::Value &object, std::string_view key, const std::string &path);

// invalid_request "invalid request: <message>".
[[noreturn]] void invalid(const std::string &message);
// unsupported_request_field "unsupported request field <field>: <reason>".
[[noreturn]] void unsupported(std::string_view field, const std::string &reason);
// unsupported_message_content at `path`.
[[noreturn]] void unsupported_content(const std::string &path, const std::string &detail);
// The body as a JSON object; invalid_json / invalid_request otherwise.
json::Value parse_object(std::string_view body);
// The JSON kind of `value` as a word (string, object, ...).
std::string kind(const json::Value &value);
// `value` as a JSON string literal (for messages echoing a client value).
std::string quoted(std::string_view value);
// Calls `visit(element, "<path>[i]")` for each element of the array `array`, in order;
// invalid_request "<path>[i] must be an object" at the first element that is not an object.
void for_each_object(const json::Value &array, const std::string &path,
                     const std::function<void(const json::Value &, const std::string &)> &visit);
// Appends `piece` to `text`, a blank line between non-empty pieces.
void append_paragraph(std::string &text, std::string_view piece);
// Text of a message's content: a string, or an array of objects (content blocks or parts, named
// `part_name` in errors) whose texts `text_of_part(part, part_path)` returns, joined by blank lines.
std::string joined_text(const json::Value &content, const std::string &path, std::string_view part_name,
                        const std::function<std::string(const json::Value &, const std::string &)> &text_of_part);

}  // namespace translation

}  // namespace vep::host
