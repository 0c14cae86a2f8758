// The access-log line of a chat request (logger proxy.http): ids (request, client key), model,
// stream flag, status, duration, error code and "e2ee=tee-only" for a model the operator
// configured tee-only — never content. Client-supplied values are escaped and cut short, so a
// request cannot forge or flood log lines. Written once per request, at the pipeline's single
// completion point.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "chain/exchange.hpp"
#include "relay/relayed_answer.hpp"

namespace vep::host {

void log_chat_request(const Exchange &exchange, const RelayOutcome &outcome, std::chrono::steady_clock::time_point started);

// `value` fit for a text log line: printable ASCII kept, everything else (control bytes, quotes,
// backslashes, non-ASCII bytes) as \xNN, cut to `max_bytes` of input with "..." appended.
std::string log_safe(std::string_view value, size_t max_bytes = 128);

}  // namespace vep::host
