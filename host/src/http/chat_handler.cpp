// POST /v1/chat/completions: reads the body within server.max_body_bytes, runs the chain's
// request side (request-id, limits, parse, tools, session, attest, encrypt, plugin filters) and
// opens the first upstream attempt; errors up to here are answered on this thread. Then the
// connection is detached from Poco and the request handed to the RelayPump as a RelayJob, which
// relays the answer (streamed or buffered) and ends the request; this worker thread is free again.
// One access-log line per request (ids, model, outcome, timings — never content).
#include <chrono>
#include <optional>

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/MediaType.h>

#include "http/access_log.hpp"
#include "http/error_response.hpp"
#include "http/poco_timespan.hpp"
#include "http/request_body.hpp"
#include "http/request_router.hpp"
#include "relay/relay_job.hpp"
#include "runtime/generation.hpp"

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
    ChatHandler(GenerationHolder &generations, ServerState &state, RelayPump &relay)
        : generations_(generations), state_(state), relay_(relay) {}

    void handleRequest(Poco::Net::HTTPServerRequest &request, Poco::Net::HTTPServerResponse &response) override {
        ActiveHandler active(state_);
        const auto started = std::chrono::steady_clock::now();
        auto g = generations_.current();
        const Config &config = g->config();
        // Bounds the error answers written on this thread; the relay writes without blocking.
        static_cast<Poco::Net::HTTPServerRequestImpl &>(request).socket().setSendTimeout(
            to_timespan(config.server.send_timeout));

        auto ex = std::make_unique<Exchange>(*g);
        ex->method = request.getMethod();
        ex->path = request.getURI();
        for (const auto &h : request) ex->request_headers.add(h.first, h.second);
        try {
            if (state_.draining.load()) throw ProxyError::of("server_draining", "the proxy is shutting down");
            if (!json_content_type(request))
                throw ProxyError::of("unsupported_media_type",
                                     "Content-Type must be application/json for POST /v1/chat/completions");
            ex->body = read_body(request, config.server.max_body_bytes);
        } catch (const ProxyError &e) {
            discard_body(request, config.server.max_body_bytes);
            send_error(response, e);
            log_chat_request(*ex, ChatOutcome{false, e.status(), e.code(), false}, started);
            return;
        }

        auto run = g->chain().start();
        std::optional<UpstreamAttempt> attempt;
        std::optional<ProxyError> failure;
        if (run->run_request(*ex) != StageStatus::Continue) {
            failure = *ex->reply;
        } else if (!ex->chat || !ex->attested || !ex->client_key || ex->upstream_body.empty()) {
            // Fail closed: nothing goes upstream unless the chain attested and encrypted it.
            failure = ProxyError::of("internal_error", "the handler chain did not prepare an encrypted upstream request "
                                                       "(chain.stages must include parse, attest and encrypt)");
        } else {
            try {
                attempt = g->venice().open_chat(ex->upstream_body, ex->client_key->public_hex(),
                                                ex->attested->model_public_key);
            } catch (const ProxyError &e) {
                failure = e;
            }
        }
        if (failure) {
            send_error(response, *failure, ex->request_id);
            run->complete(*ex, false);
            log_chat_request(*ex, ChatOutcome{false, failure->status(), failure->code(), false}, started);
            return;
        }
        response.setKeepAlive(false);
        RelayJob::Parts parts{std::move(g), std::move(ex), std::move(run),
                              static_cast<Poco::Net::HTTPServerRequestImpl &>(request).detachSocket(),
                              std::move(*attempt), started};
        relay_.adopt(std::make_unique<RelayJob>(std::move(parts), state_));
    }

  private:
    GenerationHolder &generations_;
    ServerState &state_;
    RelayPump &relay_;
};

}  // namespace

Poco::Net::HTTPRequestHandler *make_chat_handler(GenerationHolder &generations, ServerState &state, RelayPump &relay) {
    return new ChatHandler(generations, state, relay);
}

}  // namespace vep::host
