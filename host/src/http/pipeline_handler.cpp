// See pipeline_handler.hpp.
#include "http/pipeline_handler.hpp"

#include <chrono>

#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/Net/MediaType.h>

#include "http/error_response.hpp"
#include "http/framed_session.hpp"
#include "http/request_body.hpp"
#include "net/poco_timespan.hpp"

namespace vep::host {
namespace {

bool json_content_type(const Poco::Net::HTTPServerRequest &request) {
    if (!request.has("Content-Type")) return false;
    try {
        const Poco::Net::MediaType type(request.getContentType());
        if (type.getType() != "application") return false;
        const std::string &sub = type.getSubType();
        return sub == "json" || (sub.size() > 5 && sub.compare(sub.size() - 5, 5, "+json") == 0);
    } catch (const Poco::Exception &) {
        return false;
    }
}

// The client of one chat request while this worker thread holds it.
class PocoClientPort final : public ClientPort {
  public:
    PocoClientPort(Poco::Net::HTTPServerRequest &request, Poco::Net::HTTPServerResponse &response, ErrorBody error_body,
                   std::chrono::milliseconds send_timeout, ConnectionReturn &connections)
        : request_(static_cast<Poco::Net::HTTPServerRequestImpl &>(request)), response_(response),
          error_body_(error_body), send_timeout_(send_timeout), connections_(connections) {}

    // The one answer written on this thread (the relay writes without blocking): bounded by
    // server.send_timeout, set here so that a relayed answer pays no system call for it.
    void send_error(const ProxyError &error, const std::string &request_id) override {
        request_.socket().setSendTimeout(to_timespan(send_timeout_));
        vep::host::send_error(response_, error, request_id, error_body_);
    }
    // The connection may carry another request when the worker's answer would have kept it
    // (GuardedConnection decided: the client's keep-alive, the server not draining), the answer
    // can be framed exactly (HTTP/1.1) and the session holds no bytes of a next request (they
    // would be lost with it).
    TakenConnection take_connection() override {
        auto &session = static_cast<FramedSession &>(request_.session());
        const bool http10 = request_.getVersion() == Poco::Net::HTTPMessage::HTTP_1_0;
        const bool reusable = response_.getKeepAlive() && !http10 && session.unread() == 0;
        response_.setKeepAlive(false);
        return TakenConnection{session.hand_over(),
                               http10 ? ClientOutput::Framing::Http10 : ClientOutput::Framing::Http11,
                               reusable ? &connections_ : nullptr};
    }

  private:
    Poco::Net::HTTPServerRequestImpl &request_;
    Poco::Net::HTTPServerResponse &response_;
    ErrorBody error_body_;
    std::chrono::milliseconds send_timeout_;
    ConnectionReturn &connections_;
};

class PipelineHandler final : public RouteHandler {
  public:
    PipelineHandler(const RouteServices &services, ClientApi api) : s_(services), api_(api) {}

    ErrorBody error_body() const override { return api_.error_body; }
    bool spends_tokens() const override { return true; }

    void handle(Poco::Net::HTTPServerRequest &request, Poco::Net::HTTPServerResponse &response,
                RequestScope &scope) override {
        auto g = s_.generations.current();
        const Config &config = g->config();

        ChatCall call{scope.caller, request.getMethod(), request.getURI(), {}, {}, std::chrono::steady_clock::now(),
                      std::move(scope.in_flight), {}, {}, {}};
        for (const auto &h : request) call.headers.add(h.first, h.second);
        PocoClientPort port(request, response, api_.error_body, config.server.send_timeout, s_.connections);
        try {
            auto slot = scope.take_stream_slot();
            if (!slot)
                throw ProxyError::of("too_many_streams", "this client key has as many answers open as it may (" +
                                                             std::to_string(scope.caller->max_streams) + ")");
            call.stream_slot = std::move(*slot);
            call.cors_origin = scope.cors_origin;
            if (!json_content_type(request))
                throw ProxyError::of("unsupported_media_type",
                                     "Content-Type must be application/json for " + std::string(api_.route));
            call.body = read_body(request, config.server.max_body_bytes);
            scope.request_read();
            if (api_.translate) {
                TranslatedRequest translated = api_.translate(call.body);
                call.body = std::move(translated.chat_body);
                call.shape = api_.make_shape(translated);
            }
        } catch (const ProxyError &e) {
            const bool timed_out = scope.read_timed_out();
            discard_body(request, response);
            scope.request_read();
            s_.pipeline.refuse(std::move(g), std::move(call),
                               timed_out ? ProxyError::of("request_timeout",
                                                          "the request did not arrive within server.request_read_timeout")
                                         : e,
                               port);
            return;
        }
        s_.pipeline.run(std::move(g), std::move(call), port);
    }

  private:
    const RouteServices &s_;
    const ClientApi api_;
};

}  // namespace

std::unique_ptr<RouteHandler> make_pipeline_handler(const RouteServices &services, ClientApi api) {
    return std::make_unique<PipelineHandler>(services, api);
}

}  // namespace vep::host
