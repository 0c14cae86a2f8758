// The parsed OpenAI chat request.
//
// Owns: the validated shape of a POST /v1/chat/completions body: messages
// with their tool-call history kept structured, forwarded sampling fields as exact JSON values,
// tools and tool_choice. Produced by parse_chat_request() (chat_request_parser.cpp); read by the
// session, tools and encrypt stages and by the upstream body builder.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "vep/json.hpp"

namespace vep::host {

// One OpenAI function tool offered by the client.
struct ToolDefinition {
    std::string name;
    std::optional<std::string> description;
    std::optional<json::Value> parameters;  // a JSON object (schema) when given
};

// tool_choice: "auto" (also null/absent), "none", "required" or a named function.
struct ToolChoice {
    enum class Kind { Auto, None, Required, Named };
    Kind kind = Kind::Auto;
    std::string name;  // Kind::Named only
};

// response_format json_object / json_schema: the answer must be JSON (an object), and for
// json_schema satisfy `schema`. Emulated by the tools stage (prompt) and the structured responder
// (local validation, one correction). {"type":"text"} leaves ParsedChatRequest::response_format unset.
struct StructuredOutput {
    enum class Kind { JsonObject, JsonSchema };
    Kind kind = Kind::JsonObject;
    std::string name;                  // json_schema.name
    std::optional<json::Value> schema;  // json_schema.schema (an object); absent => any JSON object
};

// One client message after validation. Roles are system, developer, user, assistant or tool.
struct ChatMessage {
    std::string role;
    std::string text;                        // content normalised to one string ("" when absent/null)
    std::optional<json::Value> tool_calls;   // assistant: the validated tool_calls array
    std::string tool_call_id;                // tool: the id it answers
};

struct ParsedChatRequest {
    std::string model;
    std::vector<ChatMessage> messages;
    bool stream = false;
    std::optional<bool> include_usage;  // stream_options.include_usage as sent
    // Forwarded verbatim (numbers keep their text): absent or JSON null => not forwarded.
    std::optional<json::Value> temperature;
    std::optional<json::Value> top_p;
    std::optional<json::Value> max_tokens;
    std::optional<json::Value> max_completion_tokens;
    std::optional<json::Value> stop;
    std::optional<json::Value> reasoning;  // object {enabled?, effort?}
    std::optional<std::string> reasoning_effort;
    bool strip_thinking_response = false;  // venice_parameters
    bool disable_thinking = false;         // venice_parameters
    std::vector<ToolDefinition> tools;
    ToolChoice tool_choice;
    std::optional<std::string> metadata_session_id;  // metadata.session_id (trimmed, non-blank)
    std::optional<StructuredOutput> response_format;  // json_object / json_schema only
};

// How tool-call history and tool results become prompt text (bound to the model's tool_format
// plugin by the host; the reference's forms are the default).
struct HistoryRenderer {
    std::function<std::string(const json::Value &tool_calls)> tool_calls;
    std::function<std::string(std::string_view tool_call_id, std::string_view content)> tool_result;
};

// A message as it goes upstream (before encryption): plaintext role and content text.
struct UpstreamMessage {
    std::string role;
    std::string content;
};

}  // namespace vep::host
