// See request_guard.hpp.
#include "http/request_guard.hpp"

#include <Poco/Net/HTTPServerRequestImpl.h>

#include "http/error_response.hpp"
#include "http/request_body.hpp"

namespace vep::host {

class GuardedHandler final : public Poco::Net::HTTPRequestHandler {
  public:
    GuardedHandler(RequestGuard &guard, std::unique_ptr<RouteHandler> route) : guard_(guard), route_(std::move(route)) {}

    void handleRequest(Poco::Net::HTTPServerRequest &request, Poco::Net::HTTPServerResponse &response) override {
        const Poco::Net::StreamSocket &socket = static_cast<Poco::Net::HTTPServerRequestImpl &>(request).socket();
        const int fd = socket.impl()->sockfd();
        const void *owner = socket.impl();
        RequestScope scope(guard_.stats_, guard_.watch_, fd, owner);
        if (guard_.draining() && !route_->serves_while_draining()) {
            discard_body(request, response);
            scope.request_read();
            send_error(response, ProxyError::of("server_draining", "the proxy is shutting down"));
            return;
        }
        route_->handle(request, response, scope);
        scope.request_read();
    }

  private:
    RequestGuard &guard_;
    std::unique_ptr<RouteHandler> route_;
};

Poco::Net::HTTPRequestHandler *RequestGuard::wrap(std::unique_ptr<RouteHandler> route) {
    return new GuardedHandler(*this, std::move(route));
}

}  // namespace vep::host
