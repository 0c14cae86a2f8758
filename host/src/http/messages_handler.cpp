// The Anthropic Messages API routes (what Claude Code and @anthropic-ai/sdk speak), answering in
// Anthropic's error shape: POST /v1/messages — a front end of the chat pipeline
// (frontend/messages_request translates the request, frontend/messages_shape writes the answer);
// POST /v1/messages/count_tokens — an estimate from the translated request, nothing goes
// upstream; HEAD / — Claude Code's connectivity probe, answered at once without a client key.
// `?beta=true` and the anthropic-version / anthropic-beta headers are accepted and not needed.
#include <Poco/Net/MediaType.h>

#include "frontend/anthropic_error.hpp"
#include "frontend/messages_request.hpp"
#include "frontend/messages_shape.hpp"
#include "http/error_response.hpp"
#include "http/pipeline_handler.hpp"
#include "http/request_body.hpp"

namespace vep::host {
namespace {

class CountTokensHandler final : public RouteHandler {
  public:
    explicit CountTokensHandler(const RouteServices &services) : s_(services) {}

    ErrorBody error_body() const override { return anthropic_error_body; }

    void handle(Poco::Net::HTTPServerRequest &request, Poco::Net::HTTPServerResponse &response,
                RequestScope &scope) override {
        const auto g = s_.generations.current();
        std::string answer;
        try {
            const std::string body = read_body(request, g->config().server.max_body_bytes);
            scope.request_read();
            json::Value count = json::Value::object();
            count.set("input_tokens", estimate_input_tokens(body));
            answer = json::dump(count);
        } catch (const ProxyError &e) {
            discard_body(request, response);
            scope.request_read();
            send_error(response, e, "", anthropic_error_body);
            return;
        }
        response.setContentType("application/json");
        response.setContentLength(static_cast<std::streamsize>(answer.size()));
        response.send() << answer;
    }

  private:
    const RouteServices &s_;
};

class RootProbeHandler final : public RouteHandler {
  public:
    bool needs_client_key() const override { return false; }
    void handle(Poco::Net::HTTPServerRequest &request, Poco::Net::HTTPServerResponse &response,
                RequestScope &scope) override {
        discard_body(request, response);
        scope.request_read();
        response.setContentLength(0);
        response.send();
    }
};

}  // namespace

std::unique_ptr<RouteHandler> make_messages_handler(const RouteServices &services) {
    return make_pipeline_handler(services, ClientApi{"POST /v1/messages", translate_messages_request,
                                                     make_messages_shape, anthropic_error_body});
}

std::unique_ptr<RouteHandler> make_count_tokens_handler(const RouteServices &services) {
    return std::make_unique<CountTokensHandler>(services);
}

std::unique_ptr<RouteHandler> make_root_probe_handler() { return std::make_unique<RootProbeHandler>(); }

}  // namespace vep::host
