// Writing errors to clients: an OpenAI-style JSON body with the X-Venice-Proxy-Error-Code header
// (before a response started), or an SSE error event (after a stream started). Used by every
// handler.
#pragma once

#include <ostream>
#include <string>

#include <Poco/Net/HTTPServerResponse.h>

#include "errors/proxy_error.hpp"

namespace vep::host {

// Sends `error` as the whole response. `request_id` (may be empty) is echoed as X-Request-Id.
void send_error(Poco::Net::HTTPServerResponse &response, const ProxyError &error, const std::string &request_id = "");

// Writes `data: {"error":{...}}\n\n` and flushes; no [DONE] follows it.
void write_sse_error(std::ostream &out, const ProxyError &error);

}  // namespace vep::host
