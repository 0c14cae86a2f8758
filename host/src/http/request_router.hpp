// RequestRouter: Poco's handler factory. Maps GET/HEAD /healthz, GET/HEAD /v1/models and
// POST /v1/chat/completions to their handlers, answers 405 method_not_allowed on those paths with
// another method and 404 not_found elsewhere (JSON + X-Venice-Proxy-Error-Code). Owned by the
// HTTPServer (ProxyServer creates it); chat answers are handed to ProxyServer's RelayPump.
#pragma once

#include <Poco/Net/HTTPRequestHandlerFactory.h>

#include "http/server_state.hpp"
#include "relay/relay_pump.hpp"
#include "runtime/generation_holder.hpp"

namespace vep::host {

class RequestRouter final : public Poco::Net::HTTPRequestHandlerFactory {
  public:
    RequestRouter(GenerationHolder &generations, ServerState &state, RelayPump &relay)
        : generations_(generations), state_(state), relay_(relay) {}
    Poco::Net::HTTPRequestHandler *createRequestHandler(const Poco::Net::HTTPServerRequest &request) override;

  private:
    GenerationHolder &generations_;
    ServerState &state_;
    RelayPump &relay_;
};

// The handlers the router creates (http/*_handler.cpp).
Poco::Net::HTTPRequestHandler *make_health_handler(GenerationHolder &generations, ServerState &state,
                                                  const RelayPump &relay);
Poco::Net::HTTPRequestHandler *make_models_handler(GenerationHolder &generations, ServerState &state);
Poco::Net::HTTPRequestHandler *make_chat_handler(GenerationHolder &generations, ServerState &state, RelayPump &relay);

}  // namespace vep::host
