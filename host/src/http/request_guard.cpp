// See request_guard.hpp.
#include "http/request_guard.hpp"

#include <optional>

#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/Net/SecureStreamSocket.h>
#include <Poco/Net/SecureStreamSocketImpl.h>

#include "http/browser_guard.hpp"
#include "http/error_response.hpp"
#include "http/request_body.hpp"

namespace vep::host {
namespace {

// The caller a TLS client certificate names ("cert:<common name>"; the listener verified it in
// the handshake); null on a connection without one.
std::shared_ptr<const ClientKey> certificate_caller(const Poco::Net::StreamSocket &socket) {
    if (dynamic_cast<Poco::Net::SecureStreamSocketImpl *>(socket.impl()) == nullptr) return nullptr;
    Poco::Net::SecureStreamSocket secure(socket);
    if (!secure.havePeerCertificate()) return nullptr;
    auto caller = std::make_shared<ClientKey>();
    caller->id = "cert:" + secure.peerCertificate().commonName();
    return caller;
}

}  // namespace

class GuardedHandler final : public Poco::Net::HTTPRequestHandler {
  public:
    GuardedHandler(RequestGuard &guard, std::unique_ptr<RouteHandler> route, std::string route_label)
        : guard_(guard), route_(std::move(route)), route_label_(std::move(route_label)) {}

    void handleRequest(Poco::Net::HTTPServerRequest &request, Poco::Net::HTTPServerResponse &response) override {
        const Poco::Net::StreamSocket &socket = static_cast<Poco::Net::HTTPServerRequestImpl &>(request).socket();
        const int fd = socket.impl()->sockfd();
        const void *owner = socket.impl();
        RequestScope scope(guard_.stats_, guard_.watch_, guard_.limiter_, fd, owner);
        std::optional<ProxyError> refusal;
        const auto generation = guard_.generations_.current();
        const ClientKeySet *keys = generation ? generation->client_keys() : nullptr;
        const BrowserVerdict browser =
            check_browser_request(request, guard_.loopback_listener_, keys != nullptr,
                                  generation ? generation->config().server.cors_origins : std::vector<std::string>{});
        if (!browser.allowed_origin.empty()) {
            scope.cors_origin = browser.allowed_origin;
            for (const auto &[name, value] : cors_headers(browser.allowed_origin)) response.set(name, value);
        }
        if (browser.refusal) refusal = browser.refusal;
        else if (guard_.draining() && !route_->answers_while_draining())
            refusal = ProxyError::of("server_draining", "the proxy is shutting down");
        else if (keys && route_->needs_client_key())
            refusal = authenticate(request, *keys, scope);
        else if (!keys)
            scope.caller = certificate_caller(socket);
        if (refusal) {
            discard_body(request, response);
            scope.request_read();
            if (refusal->status() == 401) response.set("WWW-Authenticate", "Bearer");
            if (retry_after_) response.set("Retry-After", std::to_string(*retry_after_));
            send_error(response, *refusal);
            count(response, scope);
            return;
        }
        route_->handle(request, response, scope);
        scope.request_read();
        count(response, scope);
    }

  private:
    // The client key of the request (the generation has client keys).
    std::optional<ProxyError> authenticate(const Poco::Net::HTTPServerRequest &request, const ClientKeySet &keys,
                                           RequestScope &scope) {
        const auto secret = presented_secret(request.get("Authorization", ""), request.get("x-api-key", ""));
        if (!secret)
            return ProxyError::of("missing_api_key",
                                  "a client key is required: send Authorization: Bearer <key> or x-api-key: <key>");
        scope.caller = keys.authenticate(*secret);
        if (!scope.caller) return ProxyError::of("invalid_api_key", "the client key is not valid");
        if (const auto wait = guard_.limiter_.take_request(scope.caller->id, scope.caller->requests_per_minute,
                                                           KeyLimiter::Clock::now())) {
            retry_after_ = *wait;
            return ProxyError::of("rate_limit_exceeded", "this client key made more than its " +
                                                             std::to_string(scope.caller->requests_per_minute) +
                                                             " requests a minute; retry later");
        }
        if (!route_->spends_tokens()) return std::nullopt;
        if (const auto wait = guard_.limiter_.budget_spent(scope.caller->id, scope.caller->daily_completion_tokens,
                                                           KeyLimiter::WallClock::now())) {
            retry_after_ = *wait;
            return ProxyError::of("token_budget_exceeded",
                                  "this client key used its " + std::to_string(scope.caller->daily_completion_tokens) +
                                      " completion tokens for today; the budget renews at 00:00 UTC");
        }
        return std::nullopt;
    }

    // Counts the answered request, unless the pipeline took it over (it counts at completion).
    void count(const Poco::Net::HTTPServerResponse &response, const RequestScope &scope) {
        if (!scope.in_flight.counting()) return;
        guard_.stats_.requests.by_route.add({route_label_, std::to_string(static_cast<int>(response.getStatus())),
                                             response.get("X-Venice-Proxy-Error-Code", "")});
    }

    RequestGuard &guard_;
    std::unique_ptr<RouteHandler> route_;
    std::string route_label_;
    std::optional<uint32_t> retry_after_;
};

Poco::Net::HTTPRequestHandler *RequestGuard::wrap(std::unique_ptr<RouteHandler> route, std::string route_label) {
    return new GuardedHandler(*this, std::move(route), std::move(route_label));
}

}  // namespace vep::host
