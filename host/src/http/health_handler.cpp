// GET /healthz: 200 {"status":"ok",...} while serving, 503 {"status":"draining"} during shutdown
// (it keeps answering then, so a load balancer can take the instance out); with the chat requests
// holding a concurrency slot, the sessions and the relay's threads, open answers and backpressure.
// The same answer on the admin listener (send_health).
#include "http/request_router.hpp"
#include "vep/json.hpp"

namespace vep::host {
namespace {

class HealthHandler final : public RouteHandler {
  public:
    explicit HealthHandler(const RouteServices &services) : s_(services) {}
    bool answers_while_draining() const override { return true; }
    bool needs_client_key() const override { return false; }
    void handle(Poco::Net::HTTPServerRequest &, Poco::Net::HTTPServerResponse &response, RequestScope &scope) override {
        scope.request_read();
        send_health(response, s_);
    }

  private:
    const RouteServices &s_;
};

}  // namespace

void send_health(Poco::Net::HTTPServerResponse &response, const RouteServices &s) {
    const bool draining = s.guard.draining();
    json::Value body = json::Value::object();
    body.set("status", draining ? "draining" : "ok");
    body.set("version", VEP_VERSION);
    body.set("active_requests", static_cast<int64_t>(s.gate.active()));
    if (auto g = s.generations.current()) body.set("sessions", static_cast<uint64_t>(g->sessions().size()));
    json::Value relay = json::Value::object();
    relay.set("threads", static_cast<uint64_t>(s.relay_threads));
    relay.set("open", s.stats.relay.open.load());
    relay.set("kept_alive", s.stats.relay.kept_alive.load());
    relay.set("paused", s.stats.relay.paused.load());
    relay.set("pauses", s.stats.relay.pauses.load());
    body.set("relay", std::move(relay));
    const std::string text = json::dump(body);
    response.setStatusAndReason(draining ? Poco::Net::HTTPResponse::HTTP_SERVICE_UNAVAILABLE
                                         : Poco::Net::HTTPResponse::HTTP_OK);
    response.setContentType("application/json");
    response.setContentLength(static_cast<std::streamsize>(text.size()));
    response.send() << text;
}

std::unique_ptr<RouteHandler> make_health_handler(const RouteServices &services) {
    return std::make_unique<HealthHandler>(services);
}

}  // namespace vep::host
