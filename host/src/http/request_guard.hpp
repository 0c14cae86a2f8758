// RequestGuard: the one place every request passes before its route handler — counts it in
// flight (ProxyStats::requests_in_flight, which drain waits on), answers 503 server_draining while
// the server shuts down (GET /healthz still reaches its handler, which reports "draining"), gives
// the handler the means to end the request's read deadline (ConnectionWatch), and is where client
// authentication goes. The router wraps every handler
// it creates; route handlers implement RouteHandler and get a RequestScope, whose in-flight count
// the chat handler hands on to the pipeline so a relayed answer stays counted until it ends.
// Owned by the ProxyServer.
#pragma once

#include <atomic>
#include <memory>

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

#include "http/connection_watch.hpp"
#include "stats/proxy_stats.hpp"

namespace vep::host {

// What a route handler gets besides Poco's request and response.
class RequestScope {
  public:
    RequestScope(ProxyStats &stats, ConnectionWatch &watch, int fd, const void *owner)
        : in_flight(stats), watch_(watch), fd_(fd), owner_(owner) {}

    InFlightRequest in_flight;
    // The request (head and body) is read: its read deadline no longer applies.
    void request_read() { watch_.disarm(fd_, owner_); }
    // Whether the read deadline passed (a body read that failed then timed out).
    bool read_timed_out() const { return watch_.expired(fd_, owner_); }

  private:
    ConnectionWatch &watch_;
    int fd_;
    const void *owner_;
};

// A route's handler, called by the guard.
class RouteHandler {
  public:
    virtual ~RouteHandler() = default;
    // Whether the route answers while the server drains (health checks do).
    virtual bool serves_while_draining() const { return false; }
    virtual void handle(Poco::Net::HTTPServerRequest &request, Poco::Net::HTTPServerResponse &response,
                        RequestScope &scope) = 0;
};

class RequestGuard {
  public:
    RequestGuard(ProxyStats &stats, ConnectionWatch &watch) : stats_(stats), watch_(watch) {}

    void start_draining() { draining_.store(true); }
    bool draining() const { return draining_.load(); }
    int64_t in_flight() const { return stats_.requests_in_flight.load(); }

    // Poco's handler for `route`, guarded.
    Poco::Net::HTTPRequestHandler *wrap(std::unique_ptr<RouteHandler> route);

  private:
    friend class GuardedHandler;
    ProxyStats &stats_;
    ConnectionWatch &watch_;
    std::atomic<bool> draining_{false};
};

}  // namespace vep::host
