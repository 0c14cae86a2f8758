// See request_router.hpp.
#include "http/request_router.hpp"

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

#include "http/error_response.hpp"
#include "http/request_body.hpp"

namespace vep::host {
namespace {

constexpr uint64_t kDiscardLimit = 4 * 1024 * 1024;

// 404 / 405 answers.
class RouteErrorHandler final : public Poco::Net::HTTPRequestHandler {
  public:
    RouteErrorHandler(ServerState &state, ProxyError error) : state_(state), error_(std::move(error)) {}
    void handleRequest(Poco::Net::HTTPServerRequest &request, Poco::Net::HTTPServerResponse &response) override {
        ActiveHandler active(state_);
        discard_body(request, kDiscardLimit);
        send_error(response, error_);
    }

  private:
    ServerState &state_;
    ProxyError error_;
};

}  // namespace

Poco::Net::HTTPRequestHandler *RequestRouter::createRequestHandler(const Poco::Net::HTTPServerRequest &request) {
    std::string path = request.getURI();
    if (auto q = path.find('?'); q != std::string::npos) path.resize(q);
    const std::string &method = request.getMethod();
    const bool get = method == "GET" || method == "HEAD";
    if (path == "/healthz") {
        if (get) return make_health_handler(generations_, state_, relay_);
    } else if (path == "/v1/models") {
        if (get) return make_models_handler(generations_, state_);
    } else if (path == "/v1/chat/completions") {
        if (method == "POST") return make_chat_handler(generations_, state_, relay_);
    } else {
        return new RouteErrorHandler(state_, ProxyError::of("not_found", "route " + path + " was not found"));
    }
    return new RouteErrorHandler(state_, ProxyError::of("method_not_allowed",
                                                        "method " + method + " is not supported for " + path));
}

}  // namespace vep::host
