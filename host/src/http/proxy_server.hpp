// ProxyServer: the listening HTTP server — the ConnectionAcceptor with GuardedConnections (Poco's
// HTTP connection held to its bounds) run by the WorkerQueue's threads (request handling up to the
// first upstream answer), ClientAdmission at accept (per-client cap, quick 503 on overflow), the
// ConnectionWatch (request read deadlines, housekeeping), the RequestGuard every
// request passes, the RequestRouter, the RelayPump that relays every chat answer
// (server.relay_threads event loops) and the ChatPipeline; and graceful drain: new requests get
// 503 server_draining, /healthz says "draining" and answers say Connection: close while requests
// in flight finish within server.shutdown_grace; then every new connection is refused with 503,
// those accepted before finish their request, the listener stops (connections still in its backlog
// get the 503 too) and closes, and the rest is cut — a connection that reached the server gets an
// answer, one after it is refused by the kernel (a second later: its SYN was dropped). Owned by
// the application; the stats and the gate outlive it.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>

#include <Poco/Net/ServerSocket.h>

#include "config/config.hpp"
#include "http/client_admission.hpp"
#include "http/connection_acceptor.hpp"
#include "http/connection_watch.hpp"
#include "http/request_guard.hpp"
#include "http/request_router.hpp"
#include "http/worker_queue.hpp"
#include "limits/concurrency_gate.hpp"
#include "limits/key_limiter.hpp"
#include "pipeline/chat_pipeline.hpp"
#include "relay/relay_pump.hpp"
#include "runtime/generation_holder.hpp"
#include "stats/proxy_stats.hpp"

namespace vep::host {

class ProxyServer {
  public:
    // Binds server.host:server.port (port 0 = any free port); throws Poco::Exception on failure.
    ProxyServer(const ServerConfig &config, GenerationHolder &generations, ProxyStats &stats, ConcurrencyGate &gate);
    ~ProxyServer();

    void start();
    uint16_t port() const;
    // What the routes use (the admin listener serves /healthz and /metrics from it).
    const RouteServices &services() const { return router_->services(); }
    // Refuses new requests (503; /healthz answers "draining"), waits up to `grace` for requests
    // in flight (relayed answers included), then stops listening and closes every connection.
    // Returns the number still running when the grace period ended.
    int drain_and_stop(std::chrono::milliseconds grace);

  private:
    // Stops new handshakes on the listener (clients whose SYN it drops retry and find the port
    // closed: refused), refuses (503 server_draining) the connections that completed theirs, and
    // closes it.
    void close_listener();

    std::unique_ptr<WorkerQueue> workers_;
    std::unique_ptr<ConnectionWatch> watch_;
    KeyLimiter key_limiter_;
    std::unique_ptr<RequestGuard> guard_;
    // Declared before the relay, which hands connections back to the acceptor until it is gone.
    std::unique_ptr<ClientAdmission> admission_;
    std::unique_ptr<ConnectionAcceptor> acceptor_;
    std::unique_ptr<RelayPump> relay_;
    std::unique_ptr<ChatPipeline> pipeline_;
    std::unique_ptr<RequestRouter> router_;
    Poco::Net::TCPServerConnectionFactory::Ptr factory_;  // handed to the acceptor at start
    Poco::Net::ServerSocket listener_;  // the socket acceptor_ listens on (closed when it stops)
    uint16_t port_ = 0;
    bool stopped_ = false;
};

// The chat concurrency limit implied by [server]: max_concurrent_streams, or when 0 what the
// open-file limit allows (two sockets per relayed answer, 64 descriptors kept free).
uint32_t effective_stream_limit(const ServerConfig &config);

}  // namespace vep::host
