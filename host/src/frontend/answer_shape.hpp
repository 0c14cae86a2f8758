// AnswerShape and ClientApi: what makes a client API other than OpenAI chat completions a front
// end of the one chat pipeline. The pipeline always runs an OpenAI chat request (the ClientApi
// translates the API's request body into one) and its responders always produce OpenAI
// chat-completion output — streaming chunks, [DONE], a buffered completion body; after the
// chain's response side (so filter stages see the same chat output for every API) the pipeline
// hands that output to the call's AnswerShape, which writes it in the API's own form (named SSE
// events, its response object, its error shape). Made per request by the route handler
// (http/*_handler.cpp); owned by the ChatExchange. No shape means chat completions as they are.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "errors/proxy_error.hpp"
#include "frontend/translated_request.hpp"

namespace vep::host {

// One server-sent event: `event: <name>` (omitted when empty) and `data: <data>`.
struct ShapedEvent {
    std::string name;
    std::string data;
};

// The event `type` whose data is {"type":type[,"sequence_number":n], <fields>...} — how both
// other APIs name their events.
inline ShapedEvent typed_event(std::string_view type, json::Value fields, std::optional<uint64_t> sequence = std::nullopt) {
    json::Value data = json::Value::object();
    data.set("type", type);
    if (sequence) data.set("sequence_number", *sequence);
    for (auto &member : fields.as_object()) data.set(member.first, std::move(member.second));
    return {std::string(type), json::dump(data)};
}

// One answer in a client API's form. Pure: no I/O; called on the answer's relay thread.
class AnswerShape {
  public:
    virtual ~AnswerShape() = default;
    // The events that start the stream (before any chunk).
    virtual std::vector<ShapedEvent> start() = 0;
    // One OpenAI chat.completion.chunk JSON text (content, reasoning, tool calls, finish, usage).
    virtual std::vector<ShapedEvent> chunk(std::string_view chunk_json) = 0;
    // The chat stream ended complete ([DONE]).
    virtual std::vector<ShapedEvent> done() = 0;
    // The OpenAI chat.completion body of a buffered answer, in this API's form.
    virtual std::string body(std::string_view completion_json) = 0;
    // The events that end a failed stream: the client must see an error, never a complete answer.
    virtual std::vector<ShapedEvent> stream_error(const ProxyError &error) = 0;
    // The JSON body of an error answered before anything else.
    virtual std::string error_body(const ProxyError &error) const = 0;
};

// How one client API becomes a pipeline call; the route handler's part.
struct ClientApi {
    // "POST /v1/responses" — named in the media-type error.
    std::string_view route;
    // The API's request body as an OpenAI chat completions request body. Throws ProxyError (the
    // API's own request errors). Null: the body is a chat completions request.
    TranslatedRequest (*translate)(std::string_view body) = nullptr;
    // A fresh shape for the answer to `request`. Null: OpenAI chat completions output.
    std::unique_ptr<AnswerShape> (*make_shape)(const TranslatedRequest &request) = nullptr;
    // The body of an error answered before the pipeline (guard, media type, body, translation).
    // Null: the OpenAI error JSON.
    std::string (*error_body)(const ProxyError &error) = nullptr;
};

}  // namespace vep::host
