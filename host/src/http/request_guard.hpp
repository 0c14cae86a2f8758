// RequestGuard: the one place every request passes before its route handler — counts it in
// flight (ProxyStats::requests_in_flight, which drain waits on), answers 503 server_draining while
// the server shuts down (GET /healthz still reaches its handler, which reports "draining"),
// applies the browser rules (http/browser_guard.hpp: DNS-rebinding guard, CORS),
// authenticates the client when the generation has client keys (every route but /healthz;
// `Authorization: Bearer` or `x-api-key`, 401 before the body is read) and holds it to its key's
// request rate (429 with Retry-After) and, on routes that answer with model output, its daily
// token budget (429 token_budget_exceeded until 00:00 UTC) — without client keys, a TLS client certificate names the
// caller —, and gives the handler the
// means to end the request's read deadline (ConnectionWatch). The router wraps every handler
// it creates; route handlers implement RouteHandler and get a RequestScope, whose in-flight count
// the chat handler hands on to the pipeline so a relayed answer stays counted until it ends. It
// counts every answered request by route, status and error code (ProxyStats::requests) — those
// handed to the pipeline are counted at the pipeline's completion point instead.
// Owned by the ProxyServer.
#pragma once

#include <atomic>
#include <memory>

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

#include "auth/client_keys.hpp"
#include "http/connection_watch.hpp"
#include "limits/key_limiter.hpp"
#include "runtime/generation_holder.hpp"
#include "stats/proxy_stats.hpp"

namespace vep::host {

// What a route handler gets besides Poco's request and response.
class RequestScope {
  public:
    RequestScope(ProxyStats &stats, ConnectionWatch &watch, KeyLimiter &limiter, int fd, const void *owner)
        : in_flight(stats), watch_(watch), limiter_(limiter), fd_(fd), owner_(owner) {}

    InFlightRequest in_flight;
    // The client key the request authenticated with; without client keys, the TLS client
    // certificate's name as a key without limits ("cert:<common name>"); else null.
    std::shared_ptr<const ClientKey> caller;
    // The web page origin the answer carries CORS headers for; empty when none.
    std::string cors_origin;
    // The request (head and body) is read: its read deadline no longer applies.
    void request_read() { watch_.disarm(fd_, owner_); }
    // Whether the read deadline passed (a body read that failed then timed out).
    bool read_timed_out() const { return watch_.expired(fd_, owner_); }
    // An open-answer slot of the caller's key (an empty one without a key or a stream limit);
    // nullopt when the key has as many answers open as it may.
    std::optional<KeyLimiter::StreamSlot> take_stream_slot() {
        if (!caller) return KeyLimiter::StreamSlot{};
        return limiter_.take_stream(caller->id, caller->max_streams);
    }

  private:
    ConnectionWatch &watch_;
    KeyLimiter &limiter_;
    int fd_;
    const void *owner_;
};

// A route's handler, called by the guard.
class RouteHandler {
  public:
    virtual ~RouteHandler() = default;
    // Health checks answer while the server drains.
    virtual bool answers_while_draining() const { return false; }
    // Every route but health checks and CORS preflights needs a client key (when keys are on).
    virtual bool needs_client_key() const { return true; }
    // Routes that answer with model output are refused once the key's daily token budget is spent.
    virtual bool spends_tokens() const { return false; }
    virtual void handle(Poco::Net::HTTPServerRequest &request, Poco::Net::HTTPServerResponse &response,
                        RequestScope &scope) = 0;
};

class RequestGuard {
  public:
    // `loopback_listener`: the server listens on a loopback address only (browser rules apply).
    RequestGuard(ProxyStats &stats, ConnectionWatch &watch, GenerationHolder &generations, KeyLimiter &limiter,
                 bool loopback_listener)
        : stats_(stats), watch_(watch), generations_(generations), limiter_(limiter),
          loopback_listener_(loopback_listener) {}

    void start_draining() { draining_.store(true); }
    bool draining() const { return draining_.load(); }
    int64_t in_flight() const { return stats_.requests_in_flight.load(); }

    // Poco's handler for `route`, guarded; `route_label` names the route in the request counters
    // (a fixed path, or "other": never a client-chosen string).
    Poco::Net::HTTPRequestHandler *wrap(std::unique_ptr<RouteHandler> route, std::string route_label);

  private:
    friend class GuardedHandler;
    ProxyStats &stats_;
    ConnectionWatch &watch_;
    GenerationHolder &generations_;
    KeyLimiter &limiter_;
    const bool loopback_listener_;
    std::atomic<bool> draining_{false};
};

}  // namespace vep::host
