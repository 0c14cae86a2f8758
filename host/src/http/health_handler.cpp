// GET /healthz: 200 {"status":"ok",...} while serving, 503 {"status":"draining"} during shutdown;
// with the active requests, sessions and the relay's threads, open answers and backpressure.
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

#include "http/request_router.hpp"
#include "vep/json.hpp"

namespace vep::host {
namespace {

class HealthHandler final : public Poco::Net::HTTPRequestHandler {
  public:
    HealthHandler(GenerationHolder &generations, ServerState &state, const RelayPump &relay)
        : generations_(generations), state_(state), relay_(relay) {}
    void handleRequest(Poco::Net::HTTPServerRequest &, Poco::Net::HTTPServerResponse &response) override {
        ActiveHandler active(state_);
        const bool draining = state_.draining.load();
        json::Value body = json::Value::object();
        body.set("status", draining ? "draining" : "ok");
        body.set("version", VEP_VERSION);
        body.set("active_requests", static_cast<int64_t>(state_.gate->active()));
        if (auto g = generations_.current()) body.set("sessions", static_cast<uint64_t>(g->sessions().size()));
        json::Value relay = json::Value::object();
        relay.set("threads", static_cast<uint64_t>(relay_.threads()));
        relay.set("open", static_cast<uint64_t>(relay_.active()));
        relay.set("paused", static_cast<uint64_t>(relay_.paused()));
        relay.set("pauses", relay_.pauses());
        body.set("relay", std::move(relay));
        const std::string text = json::dump(body);
        response.setStatus(draining ? Poco::Net::HTTPResponse::HTTP_SERVICE_UNAVAILABLE : Poco::Net::HTTPResponse::HTTP_OK);
        response.setContentType("application/json");
        response.setContentLength(static_cast<std::streamsize>(text.size()));
        response.send() << text;
    }

  private:
    GenerationHolder &generations_;
    ServerState &state_;
    const RelayPump &relay_;
};

}  // namespace

Poco::Net::HTTPRequestHandler *make_health_handler(GenerationHolder &generations, ServerState &state,
                                                  const RelayPump &relay) {
    return new HealthHandler(generations, state, relay);
}

}  // namespace vep::host
