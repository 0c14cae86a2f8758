#include "router.hpp"

#include <chrono>
#include <iostream>
#include <thread>

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/Net/SecureStreamSocket.h>
#include <Poco/Net/SecureStreamSocketImpl.h>
#include <Poco/URI.h>

#include "admin_handler.hpp"
#include "api_handlers.hpp"
#include "chat_handler.hpp"
#include "http_util.hpp"

namespace vep::sim {
namespace {

constexpr std::string_view kApiPrefix = "/api/v1/";
constexpr std::string_view kAdminPrefix = "/_sim/";

class RouteHandler : public Poco::Net::HTTPRequestHandler {
  public:
    explicit RouteHandler(SimState &state) : state_(state) {}

    void handleRequest(Poco::Net::HTTPServerRequest &req, Poco::Net::HTTPServerResponse &resp) override {
        try {
            dispatch(req, resp);
        } catch (const std::exception &e) {
            std::cerr << "venice-sim: request " << req.getMethod() << " " << Poco::URI(req.getURI()).getPath()
                      << " failed: " << e.what() << '\n';
            if (!resp.sent()) send_venice_error(resp, 500, "Internal server error");
        }
    }

  private:
    void dispatch(Poco::Net::HTTPServerRequest &req, Poco::Net::HTTPServerResponse &resp) {
        const std::string path = Poco::URI(req.getURI()).getPath();
        if (path.rfind(kAdminPrefix, 0) == 0) return handle_admin(state_, req, resp);
        if (path.rfind(kApiPrefix, 0) != 0) return send_venice_error(resp, 404, "Not found");
        count_resumed_tls_session(req);
        simulate_round_trip();

        RequestRecord fresh;
        fresh.method = req.getMethod();
        fresh.path = path;
        fresh.started_at_ms = unix_millis();
        const std::shared_ptr<RequestRecord> record = state_.log.add(std::move(fresh));
        const std::string &method = req.getMethod();
        if (path == "/api/v1/models" && method == "GET") return handle_models(state_, req, resp, record);
        if (path == "/api/v1/tee/attestation" && method == "GET") return handle_attestation(state_, req, resp, record);
        if (path == "/api/v1/tee/signature" && method == "GET") return handle_signature(state_, req, resp, record);
        if (path == "/api/v1/chat/completions" && method == "POST") return handle_chat(state_, req, resp, record);
        state_.log.update(record, [](RequestRecord &r) {
            r.status = 404;
            r.error = "Not found";
            r.finished_at_ms = unix_millis();
        });
        send_venice_error(resp, 404, "Not found");
    }

    // --latency-ms: the answer's first byte leaves one simulated round trip after the request
    // arrived (per request, also on a reused connection), as over a network path to Venice.
    void simulate_round_trip() const {
        if (state_.options.latency_ms > 0)
            std::this_thread::sleep_for(std::chrono::milliseconds(state_.options.latency_ms));
    }

    // API requests that arrived over a TLS connection whose handshake resumed an earlier session
    // (GET /_sim/health: tls_resumed_requests).
    void count_resumed_tls_session(Poco::Net::HTTPServerRequest &req) {
        const Poco::Net::StreamSocket &socket = static_cast<Poco::Net::HTTPServerRequestImpl &>(req).socket();
        if (dynamic_cast<Poco::Net::SecureStreamSocketImpl *>(socket.impl()) == nullptr) return;
        if (Poco::Net::SecureStreamSocket(socket).sessionWasReused()) state_.tls_resumed_requests.fetch_add(1);
    }

    SimState &state_;
};

}  // namespace

Poco::Net::HTTPRequestHandler *Router::createRequestHandler(const Poco::Net::HTTPServerRequest &) {
    return new RouteHandler(state_);
}

}  // namespace vep::sim
