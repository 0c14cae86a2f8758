// The access-log line of a chat request (logger proxy.http): ids, model, stream flag, status,
// duration and error code — never content. Written once per request by the chat handler (when it
// answers itself) or by the RelayJob (when the relayed answer ends).
#pragma once

#include <chrono>

#include "chain/exchange.hpp"
#include "chat/responder.hpp"

namespace vep::host {

void log_chat_request(const Exchange &exchange, const ChatOutcome &outcome, std::chrono::steady_clock::time_point started);

}  // namespace vep::host
