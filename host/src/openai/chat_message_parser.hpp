// Validation of the `messages` array of a chat request.
//
// Owns: the reference proxy's rules — roles, allowed keys per role, content strings and text-only
// parts, and the assistant tool-call history shape (kept structured in ChatMessage::tool_calls).
// Called by parse_chat_request() (chat_request_parser.cpp) only.
#pragma once

#include <vector>

#include "openai/chat_request.hpp"

namespace vep::host {

// Validates `messages` (the request's value for that key); throws ProxyError (400 family).
std::vector<ChatMessage> parse_chat_messages(const json::Value &messages);

}  // namespace vep::host
