// ServerState: process-wide request bookkeeping shared by the router, the handlers and the
// application's shutdown: the draining flag (new requests get 503 while shutting down), the count
// of handlers running, and the chat ConcurrencyGate. Survives reloads.
#pragma once

#include <atomic>
#include <memory>

#include "runtime/concurrency_gate.hpp"

namespace vep::host {

struct ServerState {
    std::atomic<bool> draining{false};
    std::atomic<int> active_handlers{0};
    std::shared_ptr<ConcurrencyGate> gate = std::make_shared<ConcurrencyGate>();
};

// Counts a running handler for the lifetime of the object.
class ActiveHandler {
  public:
    explicit ActiveHandler(ServerState &state) : state_(state) { state_.active_handlers.fetch_add(1); }
    ~ActiveHandler() { state_.active_handlers.fetch_sub(1); }
    ActiveHandler(const ActiveHandler &) = delete;
    ActiveHandler &operator=(const ActiveHandler &) = delete;

  private:
    ServerState &state_;
};

}  // namespace vep::host
