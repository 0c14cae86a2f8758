// anthropic_error_body() / anthropic_error_type(): a ProxyError in the Anthropic Messages API's
// error shape, {"type":"error","error":{"type":<by status>,"message":...}} — what
// @anthropic-ai/sdk and Claude Code read. The proxy's own code stays in the
// X-Venice-Proxy-Error-Code header. Used for every error of /v1/messages routes.
#pragma once

#include <string>

#include "errors/proxy_error.hpp"
#include "vep/json.hpp"

namespace vep::host {

// invalid_request_error, authentication_error, permission_error, not_found_error,
// request_too_large, rate_limit_error, overloaded_error or api_error.
std::string anthropic_error_type(const ProxyError &error);
// The `error` event's / body's JSON object.
json::Value anthropic_error(const ProxyError &error);
std::string anthropic_error_body(const ProxyError &error);

}  // namespace vep::host
