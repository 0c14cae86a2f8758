// Error constructors for chat request validation.
//
// Owns: the exact message shapes of the reference proxy for request-parsing failures ("missing
// required field f", "invalid field f: detail", "unsupported request field k", ...), each mapped to
// its catalog code. Used only by the chat request parser files (chat_request_parser.cpp,
// chat_message_parser.cpp, chat_tools_parser.cpp).
#pragma once

#include <iterator>
#include <optional>
#include <string>
#include <string_view>

#include "errors/proxy_error.hpp"
#include "openai/unicode_trim.hpp"
#include "vep/json.hpp"

namespace vep::host::request_errors {

inline std::string str(std::string_view s) { return std::string(s); }

// Kind name as the reference prints it: null, boolean, number, string, array, object.
inline std::string kind_of(const json::Value &value) { return json::kind_name(value.kind()); }

[[noreturn]] inline void invalid_request(std::string_view message) {
    throw ProxyError::of("invalid_request", "invalid request: " + str(message));
}
[[noreturn]] inline void missing_field(std::string_view field) {
    throw ProxyError::of("invalid_request", "missing required field " + str(field));
}
[[noreturn]] inline void invalid_field(std::string_view field, std::string_view detail) {
    throw ProxyError::of("invalid_request", "invalid field " + str(field) + ": " + str(detail));
}
// A key the proxy does not accept; `reason` (optional) says why a known OpenAI field is refused.
[[noreturn]] inline void unsupported_field(std::string_view key, std::string_view reason = {}) {
    std::string message = "unsupported request field " + str(key);
    if (!reason.empty()) message += ": " + str(reason);
    throw ProxyError::of("unsupported_request_field", message);
}
[[noreturn]] inline void unsupported_content(std::string_view path, std::string_view detail) {
    throw ProxyError::of("unsupported_message_content",
                         "unsupported message content at " + str(path) + ": " + str(detail));
}
[[noreturn]] inline void invalid_tool_history(std::string_view detail) {
    throw ProxyError::of("invalid_tool_call_history", "invalid assistant tool-call history: " + str(detail));
}
[[noreturn]] inline void unsupported_venice_parameter(std::string_view field, std::string_view detail) {
    throw ProxyError::of("unsupported_venice_parameter",
                         "unsupported Venice parameter " + str(field) + ": " + str(detail));
}

// A required string member that must not be blank: "missing required field f" when absent,
// "invalid field f: expected string, got K" or "invalid field f: must not be empty".
inline const std::string &required_non_blank_string(const json::Value &object, std::string_view field) {
    const json::Value *value = object.find(field);
    if (value == nullptr) missing_field(field);
    if (!value->is_string()) invalid_field(field, "expected string, got " + kind_of(*value));
    if (is_blank(value->as_string())) invalid_field(field, "must not be empty");
    return value->as_string();
}

// `text` as a quoted literal, like Rust's {:?} for strings (used when echoing client values).
inline std::string quoted(std::string_view text) {
    std::string out;
    json::write_string(out, text);
    return out;
}

// The first key of `object` (in byte-wise sorted order, as serde's sorted map visits them) that
// is not in `allowed`; nullopt when every key is allowed.
template <typename Allowed>
std::optional<std::string> first_unknown_key(const json::Value &object, const Allowed &allowed) {
    const std::string *first = nullptr;
    for (const auto &member : object.as_object()) {
        bool known = false;
        for (std::string_view a : allowed) known = known || member.first == a;
        if (!known && (first == nullptr || member.first < *first)) first = &member.first;
    }
    if (first == nullptr) return std::nullopt;
    return *first;
}

// Rejects keys outside `allowed` with unsupported_request_field (top level and messages).
template <typename Allowed>
void reject_unknown_keys(const json::Value &object, const Allowed &allowed) {
    if (const auto key = first_unknown_key(object, allowed)) unsupported_field(*key);
}

// serde's deny_unknown_fields wording for nested typed objects:
// "unknown field `x`, expected `a`", "... expected `a` or `b`", "... expected one of `a`, `b`, `c`".
template <typename Allowed>
std::string unknown_field_detail(std::string_view key, const Allowed &allowed) {
    const size_t count = std::size(allowed);
    std::string out = "unknown field `" + str(key) + "`, expected ";
    if (count > 2) out += "one of ";
    size_t n = 0;
    for (std::string_view a : allowed) {
        if (n > 0) out += count == 2 ? " or " : ", ";
        out += '`';
        out += a;
        out += '`';
        ++n;
    }
    return out;
}

}  // namespace vep::host::request_errors
