// RequestRouter: Poco's handler factory. Maps GET/HEAD /healthz, GET/HEAD /v1/models,
// GET/HEAD /v1/attestation/{model}, POST /v1/chat/completions, POST /v1/responses, POST
// /v1/messages, POST /v1/messages/count_tokens and HEAD / to their route handlers, a browser's CORS preflight (OPTIONS with
// Origin) on them to the preflight handler, answers 405 method_not_allowed on those paths with
// another method and 404 not_found elsewhere; every handler it creates is wrapped by the
// RequestGuard. Owned by the HTTPServer (ProxyServer creates it).
#pragma once

#include <memory>

#include <Poco/Net/HTTPRequestHandlerFactory.h>

#include "http/request_guard.hpp"
#include "limits/concurrency_gate.hpp"
#include "pipeline/chat_pipeline.hpp"
#include "relay/connection_handover.hpp"
#include "runtime/generation_holder.hpp"
#include "stats/proxy_stats.hpp"

namespace vep::host {

// What the routes use; everything outlives the server.
struct RouteServices {
    GenerationHolder &generations;
    RequestGuard &guard;
    ChatPipeline &pipeline;
    const ProxyStats &stats;
    const ConcurrencyGate &gate;
    size_t relay_threads;
    ConnectionReturn &connections;  // where a chat connection goes after a clean answer (keep-alive)
};

class RequestRouter final : public Poco::Net::HTTPRequestHandlerFactory {
  public:
    explicit RequestRouter(RouteServices services) : services_(services) {}
    Poco::Net::HTTPRequestHandler *createRequestHandler(const Poco::Net::HTTPServerRequest &request) override;

    const RouteServices &services() const { return services_; }

  private:
    RouteServices services_;
};

// The route handlers the router creates (http/*_handler.cpp).
std::unique_ptr<RouteHandler> make_health_handler(const RouteServices &services);
std::unique_ptr<RouteHandler> make_models_handler(const RouteServices &services);
std::unique_ptr<RouteHandler> make_chat_handler(const RouteServices &services);
std::unique_ptr<RouteHandler> make_attestation_handler(const RouteServices &services);

// GET /v1/attestation/{model}: the route's prefix, and its name in the request counters.
inline constexpr const char *kAttestationRoutePrefix = "/v1/attestation/";
inline constexpr const char *kAttestationRouteLabel = "/v1/attestation/{model}";

// The /healthz answer (200 "ok" or 503 "draining", JSON), for the client and admin listeners.
void send_health(Poco::Net::HTTPServerResponse &response, const RouteServices &services);
std::unique_ptr<RouteHandler> make_responses_handler(const RouteServices &services);
std::unique_ptr<RouteHandler> make_messages_handler(const RouteServices &services);
std::unique_ptr<RouteHandler> make_count_tokens_handler(const RouteServices &services);
std::unique_ptr<RouteHandler> make_root_probe_handler();

}  // namespace vep::host
