// See error_response.hpp.
#include "http/error_response.hpp"

namespace vep::host {

void send_error(Poco::Net::HTTPServerResponse &response, const ProxyError &error, const std::string &request_id,
                ErrorBody error_body) {
    const std::string body = error_body != nullptr ? error_body(error) : error.to_json();
    response.setStatusAndReason(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(error.status()));
    response.setContentType("application/json");
    response.set("X-Venice-Proxy-Error-Code", error.code());
    if ((error.status() == 429 || error.status() == 503) && !response.has("Retry-After")) response.set("Retry-After", "1");
    if (!request_id.empty()) response.set("X-Request-Id", request_id);
    response.setContentLength(static_cast<std::streamsize>(body.size()));
    response.send() << body;
}

}  // namespace vep::host
