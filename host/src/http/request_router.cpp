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

// A browser's CORS preflight on a route: 204 with what the page may send when its origin is in
// server.cors_origins (the guard then set scope.cors_origin), 405 otherwise. Needs no client key:
// a preflight carries none.
class CorsPreflightHandler final : public RouteHandler {
  public:
    bool needs_client_key() const override { return false; }
    void handle(Poco::Net::HTTPServerRequest &request, Poco::Net::HTTPServerResponse &response,
                RequestScope &scope) override {
        discard_body(request, response);
        scope.request_read();
        if (scope.cors_origin.empty()) {
            send_error(response, ProxyError::of("method_not_allowed", "method OPTIONS is not supported for this origin"));
            return;
        }
        response.setStatusAndReason(Poco::Net::HTTPResponse::HTTP_NO_CONTENT);
        response.set("Access-Control-Allow-Methods", "GET, HEAD, POST, OPTIONS");
        response.set("Access-Control-Allow-Headers",
                     "Authorization, Content-Type, X-Api-Key, X-Request-Id, X-Venice-Proxy-Session-Id");
        response.set("Access-Control-Max-Age", "600");
        response.setContentLength(0);
        response.send();
    }
};

}  // namespace

Poco::Net::HTTPRequestHandler *RequestRouter::createRequestHandler(const Poco::Net::HTTPServerRequest &request) {
    std::string path = request.getURI();
    if (auto q = path.find('?'); q != std::string::npos) path.resize(q);
    const std::string &method = request.getMethod();
    const bool get = method == "GET" || method == "HEAD";
    std::unique_ptr<RouteHandler> route;
    const bool attestation = path.starts_with(kAttestationRoutePrefix);
    const bool known = path == "/healthz" || path == "/v1/models" || path == "/v1/chat/completions" || attestation;
    const std::string label = attestation ? kAttestationRouteLabel : known ? path : kOtherLabel;
    if (known && method == "OPTIONS" && request.has("Origin") && request.has("Access-Control-Request-Method"))
        return services_.guard.wrap(std::make_unique<CorsPreflightHandler>(), label);
    if (path == "/healthz") {
        if (get) route = make_health_handler(services_);
    } else if (path == "/v1/models") {
        if (get) route = make_models_handler(services_);
    } else if (path == "/v1/chat/completions") {
        if (method == "POST") route = make_chat_handler(services_);
    } else if (attestation) {
        if (get) route = make_attestation_handler(services_);
    } else {
        route = std::make_unique<RouteErrorHandler>(ProxyError::of("not_found", "route " + path + " was not found"));
    }
    if (!route)
        route = std::make_unique<RouteErrorHandler>(
            ProxyError::of("method_not_allowed", "method " + method + " is not supported for " + path));
    return services_.guard.wrap(std::move(route), label);
}

}  // namespace vep::host
