// ProxyServer: the listening HTTP server — Poco HTTPServer over an explicitly sized thread pool
// and queue (request handling up to the first upstream answer), the RelayPump that relays every
// chat answer (server.relay_threads event loops), receive/keep-alive timeouts from [server], the
// RequestRouter, and graceful drain (stop accepting, let requests in flight finish within
// server.shutdown_grace, then cut the rest). Owned by the application.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>

#include <Poco/Net/HTTPServer.h>
#include <Poco/ThreadPool.h>

#include "config/config.hpp"
#include "http/server_state.hpp"
#include "relay/relay_pump.hpp"
#include "runtime/generation_holder.hpp"

namespace vep::host {

class ProxyServer {
  public:
    // Binds server.host:server.port (port 0 = any free port); throws Poco::Exception on failure.
    ProxyServer(const ServerConfig &config, GenerationHolder &generations, ServerState &state);
    ~ProxyServer();

    void start();
    uint16_t port() const;
    // Refuses new requests, waits up to `grace` for running handlers, then closes every connection.
    // Returns the number of handlers still running when the grace period ended.
    int drain_and_stop(std::chrono::milliseconds grace);

  private:
    ServerState &state_;
    std::unique_ptr<Poco::ThreadPool> pool_;
    std::unique_ptr<RelayPump> relay_;
    std::unique_ptr<Poco::Net::HTTPServer> server_;
    uint16_t port_ = 0;
    bool stopped_ = false;
};

// The chat concurrency limit implied by [server]: max_concurrent_streams, or when 0 what the
// open-file limit allows (two sockets per relayed answer, 64 descriptors kept free).
uint32_t effective_stream_limit(const ServerConfig &config);

}  // namespace vep::host
