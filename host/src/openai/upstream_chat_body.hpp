// The JSON body of the chat request sent to Venice: encrypted, or (tee-only models) plaintext.
//
// Owns: the reference proxy's rules — field order, `stream` always true, stream_options.include_usage
// (client value, default true), all five venice_parameters, and the client's sampling fields
// forwarded byte-exact. Called by the encrypt stage once the messages are encrypted, or with the
// request as it came for a model the operator configured tee-only.
#pragma once

#include <string>
#include <vector>

#include "openai/chat_request.hpp"

namespace vep::host {

// `encrypted_messages` carry plaintext roles and encrypted (hex) contents, already in final order
// (controller prompt and corrections included). Never forwards tools, tool_choice,
// parallel_tool_calls or metadata.
std::string build_upstream_body(const ParsedChatRequest &request,
                                const std::vector<UpstreamMessage> &encrypted_messages);

// The TEE-only body: the client's messages as sent (assistant tool_calls and tool results kept
// native, content null for an assistant message that only calls tools), tools and tool_choice
// passed on for Venice's native tool calling, and enable_e2ee false; the rest as
// build_upstream_body.
std::string build_tee_only_upstream_body(const ParsedChatRequest &request);

}  // namespace vep::host
