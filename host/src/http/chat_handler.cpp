// POST /v1/chat/completions: reads the body within server.max_body_bytes, runs the chain's
// request side (request-id, limits, parse, tools, session, attest, encrypt, plugin filters), then
// the ChatResponder, and writes one access-log line per request (ids, model, outcome, timings —
// never content).
#include <chrono>

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/MediaType.h>

#include "chat/chat_responder.hpp"
#include "http/error_response.hpp"
#include "http/request_body.hpp"
#include "http/poco_timespan.hpp"
#include "http/request_router.hpp"
#include "log/log.hpp"

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


class ChatHandler final : public Poco::Net::HTTPRequestHandler {
  public:
    ChatHandler(GenerationHolder &generations, ServerState &state) : generations_(generations), state_(state) {}

    void handleRequest(Poco::Net::HTTPServerRequest &request, Poco::Net::HTTPServerResponse &response) override {
        ActiveHandler active(state_);
        const auto started = std::chrono::steady_clock::now();
        const auto g = generations_.current();
        const Config &config = g->config();
        auto &socket = static_cast<Poco::Net::HTTPServerRequestImpl &>(request).socket();
        socket.setSendTimeout(to_timespan(config.server.send_timeout));

        Exchange ex(*g);
        ex.method = request.getMethod();
        ex.path = request.getURI();
        for (const auto &h : request) ex.request_headers.add(h.first, h.second);
        try {
            if (state_.draining.load()) throw ProxyError::of("server_draining", "the proxy is shutting down");
            if (!json_content_type(request))
                throw ProxyError::of("unsupported_media_type",
                                     "Content-Type must be application/json for POST /v1/chat/completions");
            ex.body = read_body(request, config.server.max_body_bytes);
        } catch (const ProxyError &e) {
            discard_body(request, config.server.max_body_bytes);
            send_error(response, e);
            access_log(ex, ChatOutcome{false, e.status(), e.code(), false}, started);
            return;
        }

        auto run = g->chain().start();
        ChatOutcome outcome;
        if (run->run_request(ex) != StageStatus::Continue) {
            send_error(response, *ex.reply, ex.request_id);
            outcome = ChatOutcome{false, ex.reply->status(), ex.reply->code(), false};
        } else {
            outcome = respond_to_chat(ex, *run, response, socket);
        }
        run->complete(ex, outcome.succeeded);
        access_log(ex, outcome, started);
    }

  private:
    static void access_log(const Exchange &ex, const ChatOutcome &outcome, std::chrono::steady_clock::time_point started) {
        auto &log = logger("proxy.http");
        const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
        std::string line = "chat request_id=" + (ex.request_id.empty() ? std::string("-") : ex.request_id) +
                           " model=" + (ex.chat ? ex.chat->model : std::string("-")) +
                           " stream=" + (ex.chat && ex.chat->stream ? "true" : "false") +
                           " status=" + std::to_string(outcome.status) + " ms=" + std::to_string(ms.count());
        if (!outcome.code.empty()) line += " code=" + outcome.code;
        if (outcome.succeeded) log.information(line);
        else if (outcome.client_gone) log.information(line + " (client disconnected)");
        else log.warning(line);
    }

    GenerationHolder &generations_;
    ServerState &state_;
};

}  // namespace

Poco::Net::HTTPRequestHandler *make_chat_handler(GenerationHolder &generations, ServerState &state) {
    return new ChatHandler(generations, state);
}

}  // namespace vep::host
