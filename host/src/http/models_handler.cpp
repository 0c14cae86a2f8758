// GET /v1/models: Venice's model list filtered to attested E2EE text models (seed-behaviour
// §4.5), cached for venice.models_cache_ttl; errors as §4.4.
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

#include "http/error_response.hpp"
#include "http/request_router.hpp"
#include "openai/model_list.hpp"

namespace vep::host {
namespace {

class ModelsHandler final : public Poco::Net::HTTPRequestHandler {
  public:
    ModelsHandler(GenerationHolder &generations, ServerState &state) : generations_(generations), state_(state) {}
    void handleRequest(Poco::Net::HTTPServerRequest &, Poco::Net::HTTPServerResponse &response) override {
        ActiveHandler active(state_);
        const auto g = generations_.current();
        try {
            if (state_.draining.load()) throw ProxyError::of("server_draining", "the proxy is shutting down");
            const std::string body = g->models_cache().get([&] { return map_models_response(g->venice().get_models()); });
            response.setStatus(Poco::Net::HTTPResponse::HTTP_OK);
            response.setContentType("application/json");
            response.set("X-Venice-Proxy-Attestation-Mode", g->config().attestation.mode);
            response.set("X-Venice-Proxy-Tool-Mode", g->config().tools.enabled ? g->config().tools.mode : "none");
            response.setContentLength(static_cast<std::streamsize>(body.size()));
            response.send() << body;
        } catch (const ProxyError &e) {
            send_error(response, e);
        }
    }

  private:
    GenerationHolder &generations_;
    ServerState &state_;
};

}  // namespace

Poco::Net::HTTPRequestHandler *make_models_handler(GenerationHolder &generations, ServerState &state) {
    return new ModelsHandler(generations, state);
}

}  // namespace vep::host
