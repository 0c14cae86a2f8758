#include "openai/chat_request_parser.hpp"

#include <algorithm>
#include <array>
#include <cmath>

#include "openai/chat_message_parser.hpp"
#include "openai/chat_tools_parser.hpp"
#include "openai/request_errors.hpp"
#include "openai/unicode_trim.hpp"

namespace vep::host {
namespace {

using namespace request_errors;

constexpr std::array<std::string_view, 23> kTopLevelKeys = {
    // the reference's set
    "model", "messages", "stream", "stream_options", "temperature", "top_p", "max_tokens",
    "max_completion_tokens", "stop", "reasoning", "reasoning_effort", "tools", "tool_choice",
    "parallel_tool_calls", "metadata", "venice_parameters",
    // OpenAI fields stock SDKs send; accepted when harmless, refused clearly otherwise
    "user", "n", "seed", "presence_penalty", "frequency_penalty", "logprobs", "response_format"};
constexpr std::array<std::string_view, 1> kStreamOptionKeys = {"include_usage"};
constexpr std::array<std::string_view, 5> kVeniceParameterKeys = {
    "enable_e2ee", "include_venice_system_prompt", "strip_thinking_response", "disable_thinking",
    "enable_web_search"};
constexpr std::array<std::string_view, 2> kReasoningKeys = {"enabled", "effort"};
constexpr std::array<std::string_view, 1> kTextFormatKeys = {"type"};
constexpr std::array<std::string_view, 2> kJsonSchemaFormatKeys = {"type", "json_schema"};
constexpr std::array<std::string_view, 4> kJsonSchemaKeys = {"name", "schema", "strict", "description"};

// Line and column (1-based, bytes) of `offset` in `text`.
std::string position_of(std::string_view text, size_t offset) {
    size_t line = 1, column = 1;
    for (size_t i = 0; i < offset && i < text.size(); ++i) {
        if (text[i] == '\n') {
            ++line;
            column = 1;
        } else {
            ++column;
        }
    }
    return "line " + std::to_string(line) + ", column " + std::to_string(column);
}

// serde_json keeps the last of duplicate keys; vep::json keeps both. Ambiguous input is refused.
void reject_duplicate_keys(const json::Value &value) {
    if (value.is_array()) {
        for (const auto &element : value.as_array()) reject_duplicate_keys(element);
        return;
    }
    if (!value.is_object()) return;
    const auto &members = value.as_object();
    std::vector<std::string_view> keys;
    keys.reserve(members.size());
    for (const auto &m : members) {
        keys.push_back(m.first);
        reject_duplicate_keys(m.second);
    }
    std::sort(keys.begin(), keys.end());
    const auto dup = std::adjacent_find(keys.begin(), keys.end());
    if (dup != keys.end())
        throw ProxyError::of("invalid_json", "request body has a duplicate object key " + quoted(*dup));
}

std::optional<bool> optional_bool(const json::Value &object, std::string_view field) {
    const json::Value *value = object.find(field);
    if (value == nullptr) return std::nullopt;
    if (!value->is_bool()) invalid_field(field, "expected boolean, got " + kind_of(*value));
    return value->as_bool();
}

void parse_metadata(const json::Value &body, ParsedChatRequest &out) {
    const json::Value *metadata = body.find("metadata");
    if (metadata == nullptr || metadata->is_null()) return;
    if (!metadata->is_object()) invalid_field("metadata", "metadata must be an object when provided");
    const json::Value *session_id = metadata->find("session_id");
    if (session_id != nullptr && session_id->is_string()) {
        const std::string_view trimmed = unicode_trim(session_id->as_string());
        if (!trimmed.empty()) out.metadata_session_id = std::string(trimmed);
    }
}

void parse_stream_options(const json::Value &body, ParsedChatRequest &out) {
    const json::Value *options = body.find("stream_options");
    if (options == nullptr) return;
    if (!options->is_object()) invalid_field("stream_options", "stream_options must be an object");
    if (const auto key = first_unknown_key(*options, kStreamOptionKeys))
        invalid_field("stream_options", unknown_field_detail(*key, kStreamOptionKeys));
    if (const json::Value *include_usage = options->find("include_usage")) {
        if (!include_usage->is_bool())
            invalid_field("stream_options.include_usage", "expected boolean, got " + kind_of(*include_usage));
        out.include_usage = include_usage->as_bool();
    }
}

void parse_venice_parameters(const json::Value &body, ParsedChatRequest &out) {
    const json::Value *params = body.find("venice_parameters");
    if (params == nullptr) return;
    if (!params->is_object()) invalid_field("venice_parameters", "venice_parameters must be an object");
    if (const auto key = first_unknown_key(*params, kVeniceParameterKeys))
        invalid_field("venice_parameters", unknown_field_detail(*key, kVeniceParameterKeys));
    for (std::string_view key : kVeniceParameterKeys) {
        const json::Value *v = params->find(key);
        if (v == nullptr) continue;
        if (key == "enable_web_search") {
            if (!v->is_string() && !v->is_bool())
                invalid_field("venice_parameters." + str(key), "expected string or boolean, got " + kind_of(*v));
        } else if (!v->is_bool()) {
            invalid_field("venice_parameters." + str(key), "expected boolean, got " + kind_of(*v));
        }
    }
    if (const json::Value *e2ee = params->find("enable_e2ee"); e2ee && !e2ee->as_bool())
        unsupported_venice_parameter("venice_parameters.enable_e2ee",
                                     "Venice E2EE must remain enabled for encrypted proxy requests");
    if (const json::Value *prompt = params->find("include_venice_system_prompt"); prompt && prompt->as_bool())
        unsupported_venice_parameter("venice_parameters.include_venice_system_prompt",
                                     "Venice system prompt injection is disabled for E2EE requests");
    if (const json::Value *search = params->find("enable_web_search")) {
        if (search->is_string() && search->as_string() != "off")
            unsupported_venice_parameter("venice_parameters.enable_web_search",
                                         "Venice web search is out of scope for E2EE requests; expected \"off\", got " +
                                             quoted(search->as_string()));
        if (search->is_bool() && search->as_bool())
            unsupported_venice_parameter("venice_parameters.enable_web_search",
                                         "Venice web search is out of scope for E2EE requests");
    }
    out.strip_thinking_response = optional_bool(*params, "strip_thinking_response").value_or(false);
    out.disable_thinking = optional_bool(*params, "disable_thinking").value_or(false);
}

// A forwarded member; absent or null => nullopt.
const json::Value *present(const json::Value &body, std::string_view field) {
    const json::Value *value = body.find(field);
    return value == nullptr || value->is_null() ? nullptr : value;
}

// Forwarded numbers longer than this are refused (a 1,000-digit number is not a sampling value).
constexpr size_t kMaxNumberChars = 32;

void parse_sampling_fields(const json::Value &body, ParsedChatRequest &out) {
    for (std::string_view field : {"temperature", "top_p"}) {
        const json::Value *v = present(body, field);
        if (v == nullptr) continue;
        if (!v->is_number())
            invalid_field(field, "expected supported shape, got " + kind_of(*v) + ": expected a JSON number");
        if (!std::isfinite(v->get_double()) || v->as_number().text.size() > kMaxNumberChars)
            invalid_field(field, "expected a finite number written in at most " + std::to_string(kMaxNumberChars) +
                                     " characters");
        (field == "temperature" ? out.temperature : out.top_p) = *v;
    }
    for (std::string_view field : {"max_tokens", "max_completion_tokens"}) {
        const json::Value *v = present(body, field);
        if (v == nullptr) continue;
        uint64_t ignored = 0;
        if (!v->get_u64(ignored))
            invalid_field(field, "expected supported shape, got " + kind_of(*v) +
                                     ": expected a non-negative integer that fits in 64 bits");
        (field == "max_tokens" ? out.max_tokens : out.max_completion_tokens) = *v;
    }
    if (const json::Value *stop = present(body, "stop")) {
        bool ok = stop->is_string();
        if (stop->is_array())
            ok = std::all_of(stop->as_array().begin(), stop->as_array().end(),
                             [](const json::Value &s) { return s.is_string(); });
        if (!ok)
            invalid_field("stop", "expected supported shape, got " + kind_of(*stop) +
                                      ": expected a string or an array of strings");
        out.stop = *stop;
    }
}

void parse_reasoning(const json::Value &body, ParsedChatRequest &out) {
    if (const json::Value *reasoning = body.find("reasoning")) {
        if (!reasoning->is_object()) invalid_field("reasoning", "reasoning must be an object");
        if (const auto key = first_unknown_key(*reasoning, kReasoningKeys))
            invalid_field("reasoning", unknown_field_detail(*key, kReasoningKeys));
        if (const json::Value *enabled = reasoning->find("enabled"); enabled && !enabled->is_bool())
            invalid_field("reasoning.enabled", "expected boolean, got " + kind_of(*enabled));
        if (const json::Value *effort = reasoning->find("effort")) {
            if (!effort->is_string()) invalid_field("reasoning.effort", "expected string, got " + kind_of(*effort));
            if (is_blank(effort->as_string())) invalid_field("reasoning.effort", "must not be empty");
        }
        out.reasoning = *reasoning;
    }
    if (const json::Value *effort = present(body, "reasoning_effort")) {
        if (!effort->is_string()) invalid_field("reasoning_effort", "expected string, got " + kind_of(*effort));
        if (is_blank(effort->as_string())) invalid_field("reasoning_effort", "must not be empty");
        out.reasoning_effort = effort->as_string();
    }
    if (out.reasoning && out.reasoning_effort) {
        const json::Value *nested = out.reasoning->find("effort");
        if (nested != nullptr && nested->as_string() != *out.reasoning_effort)
            invalid_field("reasoning_effort", "reasoning_effort must match reasoning.effort when both are provided");
    }
}

void parse_tool_fields(const json::Value &body, ParsedChatRequest &out) {
    if (const json::Value *tools = body.find("tools")) out.tools = parse_tools(*tools);
    out.tool_choice = parse_tool_choice(body.find("tool_choice"));
    (void)optional_bool(body, "parallel_tool_calls");  // accepted, ignored
}

// OpenAI fields the proxy accepts only in their harmless form.
void check_openai_compatibility_fields(const json::Value &body) {
    if (const json::Value *n = present(body, "n")) {
        uint64_t count = 0;
        if (!n->get_u64(count) || count == 0) invalid_field("n", "expected a positive integer, got " + kind_of(*n));
        if (count != 1) unsupported_field("n", "only n=1 is supported (one choice per request)");
    }
    if (const json::Value *seed = present(body, "seed")) {
        int64_t s = 0;
        uint64_t u = 0;
        if (!seed->get_i64(s) && !seed->get_u64(u)) invalid_field("seed", "expected integer, got " + kind_of(*seed));
    }
    for (std::string_view field : {"presence_penalty", "frequency_penalty"}) {
        const json::Value *penalty = present(body, field);
        if (penalty == nullptr) continue;
        if (!penalty->is_number()) invalid_field(field, "expected number, got " + kind_of(*penalty));
        if (penalty->get_double() != 0.0) unsupported_field(field, "only 0 is supported");
    }
    if (const json::Value *logprobs = present(body, "logprobs")) {
        if (!logprobs->is_bool()) invalid_field("logprobs", "expected boolean, got " + kind_of(*logprobs));
        if (logprobs->as_bool()) unsupported_field("logprobs", "log probabilities are not available for E2EE models");
    }
    if (const json::Value *user = present(body, "user"); user && !user->is_string())
        invalid_field("user", "expected string, got " + kind_of(*user));
}

// response_format: text (nothing to do), json_object, or json_schema {name, schema, strict,
// description}. The schema's shape is checked by the tools stage (the schema validator's subset).
void parse_response_format(const json::Value &body, ParsedChatRequest &out) {
    const json::Value *format = present(body, "response_format");
    if (format == nullptr) return;
    const json::Value *type = format->find("type");
    if (!format->is_object() || type == nullptr || !type->is_string())
        invalid_field("response_format", "expected an object with a string `type`, got " + kind_of(*format));
    const std::string &kind = type->as_string();
    if (kind == "text" || kind == "json_object") {
        if (const auto key = first_unknown_key(*format, kTextFormatKeys))
            invalid_field("response_format", unknown_field_detail(*key, kTextFormatKeys));
        if (kind == "json_object") out.response_format = StructuredOutput{};
        return;
    }
    if (kind != "json_schema") invalid_field("response_format", "unknown response_format type " + quoted(kind));
    if (const auto key = first_unknown_key(*format, kJsonSchemaFormatKeys))
        invalid_field("response_format", unknown_field_detail(*key, kJsonSchemaFormatKeys));
    const json::Value *spec = format->find("json_schema");
    if (spec == nullptr || !spec->is_object())
        invalid_field("response_format.json_schema", "expected an object with `name` and `schema`");
    if (const auto key = first_unknown_key(*spec, kJsonSchemaKeys))
        invalid_field("response_format.json_schema", unknown_field_detail(*key, kJsonSchemaKeys));
    StructuredOutput structured;
    structured.kind = StructuredOutput::Kind::JsonSchema;
    structured.name = required_non_blank_string(*spec, "name");
    if (const json::Value *schema = present(*spec, "schema")) {
        if (!schema->is_object())
            invalid_field("response_format.json_schema.schema", "expected object, got " + kind_of(*schema));
        structured.schema = *schema;
    }
    if (const json::Value *strict = present(*spec, "strict"); strict && !strict->is_bool())
        invalid_field("response_format.json_schema.strict", "expected boolean, got " + kind_of(*strict));
    out.response_format = std::move(structured);
}

}  // namespace

bool plausible_model_id(std::string_view id) {
    if (id.empty() || id.size() > kMaxModelIdBytes) return false;
    for (const char c : id) {
        const bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
        if (!alnum && std::string_view("._:/@+-").find(c) == std::string_view::npos) return false;
    }
    return true;
}

ParsedChatRequest parse_chat_request(const json::Value &body) {
    if (!body.is_object()) invalid_request("request body must be a JSON object");
    reject_duplicate_keys(body);
    reject_unknown_keys(body, kTopLevelKeys);
    ParsedChatRequest out;
    parse_metadata(body, out);
    out.model = required_non_blank_string(body, "model");
    if (!plausible_model_id(out.model))
        invalid_field("model", "must be a model id: 1 to " + std::to_string(kMaxModelIdBytes) +
                                   " letters, digits or . _ : / @ + -");
    const json::Value *messages = body.find("messages");
    if (messages == nullptr) missing_field("messages");
    out.messages = parse_chat_messages(*messages);
    out.stream = optional_bool(body, "stream").value_or(false);
    parse_stream_options(body, out);
    parse_venice_parameters(body, out);
    parse_sampling_fields(body, out);
    parse_reasoning(body, out);
    parse_tool_fields(body, out);
    check_openai_compatibility_fields(body);
    parse_response_format(body, out);
    return out;
}

ParsedChatRequest parse_chat_request(std::string_view body) {
    json::Value document;
    try {
        document = json::parse(body);
    } catch (const json::ParseError &e) {
        throw ProxyError::of("invalid_json", std::string("request body is not valid JSON: ") + e.what() + " (" +
                                                 position_of(body, e.offset) + ")");
    }
    return parse_chat_request(document);
}

}  // namespace vep::host
