// send_error(): writes an error to a client whose response has not started — an OpenAI-style
// JSON body (or the route's API's error body) with the right status line and reason phrase, X-Venice-Proxy-Error-Code, and
// X-Request-Id when known. Used by every handler and the request guard.
#pragma once

#include <string>

#include <Poco/Net/HTTPServerResponse.h>

#include "errors/proxy_error.hpp"

namespace vep::host {

// A client API's error body (Anthropic's shape for /v1/messages); null means the OpenAI error JSON.
using ErrorBody = std::string (*)(const ProxyError &error);

// Sends `error` as the whole response. `request_id` (may be empty) is echoed as X-Request-Id.
void send_error(Poco::Net::HTTPServerResponse &response, const ProxyError &error, const std::string &request_id = "",
                ErrorBody error_body = nullptr);

}  // namespace vep::host
