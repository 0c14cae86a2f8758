// The JSON body of the encrypted chat request sent to Venice.
//
// Owns: the reference proxy's rules — field order, `stream` always true, stream_options.include_usage
// (client value, default true), all five venice_parameters, and the client's sampling fields
// forwarded byte-exact. Called by the encrypt stage once the messages are encrypted.
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

}  // namespace vep::host
