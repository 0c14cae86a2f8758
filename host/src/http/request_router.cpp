// See request_router.hpp.
#include "http/request_router.hpp"

#include "http/error_response.hpp"
#include "http/request_body.hpp"

namespace vep::host {
namespace {

// 404 / 405 answers.
class RouteErrorHandler final : public RouteHandler {
  public:
    explicit RouteErrorHandler(ProxyError error) : error_(std::move(error)) {}
    void handle(Poco::Net::HTTPServerRequest &request, Poco::Net::HTTPServerResponse &response,
                RequestScope &scope) override {
        discard_body(request, response);
        scope.request_read();
        send_error(response, error_);
    }

  private:
    ProxyError error_;
};

}  // namespace

Poco::Net::HTTPRequestHandler *RequestRouter::createRequestHandler(const Poco::Net::HTTPServerRequest &request) {
    std::string path = request.getURI();
    if (auto q = path.find('?'); q != std::string::npos) path.resize(q);
    const std::string &method = request.getMethod();
    const bool get = method == "GET" || method == "HEAD";
    std::unique_ptr<RouteHandler> route;
    if (path == "/healthz") {
        if (get) route = make_health_handler(services_);
    } else if (path == "/v1/models") {
        if (get) route = make_models_handler(services_);
    } else if (path == "/v1/chat/completions") {
        if (method == "POST") route = make_chat_handler(services_);
    } else {
        route = std::make_unique<RouteErrorHandler>(ProxyError::of("not_found", "route " + path + " was not found"));
    }
    if (!route)
        route = std::make_unique<RouteErrorHandler>(
            ProxyError::of("method_not_allowed", "method " + method + " is not supported for " + path));
    return services_.guard.wrap(std::move(route));
}

}  // namespace vep::host
