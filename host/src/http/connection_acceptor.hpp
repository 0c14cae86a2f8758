// ConnectionAcceptor: the proxy's accept loop. One thread waits on the listening socket (a
// blocking poll that a stop wakes, no periodic polls), accepts, lets ClientAdmission decide
// (per-client cap, 503 on overflow or once the doors are closed), sets TCP_NODELAY and a fixed
// 64 KiB send buffer, and puts the connection in the server's WorkerQueue, whose worker threads
// (up to server.max_threads; server.max_queued waiting) run a GuardedConnection for it. It is
// also the relay's ConnectionReturn: a client connection whose relayed answer ended cleanly and
// whose next request has begun to arrive goes through the same admission into the same queue, as
// if it had just been accepted. Owned by the ProxyServer, which closes the listener itself after
// stop().
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <thread>

#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/TCPServerConnectionFactory.h>

#include "http/client_admission.hpp"
#include "http/worker_queue.hpp"
#include "relay/connection_handover.hpp"

namespace vep::host {

class ConnectionAcceptor final : public ConnectionReturn {
  public:
    // `listener` is bound and listening; `workers` and `admission` outlive the acceptor.
    ConnectionAcceptor(Poco::Net::ServerSocket listener, WorkerQueue &workers, ClientAdmission &admission);
    ~ConnectionAcceptor() override;
    ConnectionAcceptor(const ConnectionAcceptor &) = delete;
    ConnectionAcceptor &operator=(const ConnectionAcceptor &) = delete;

    // Starts serving: `factory` makes each connection's handler (given here, not at construction,
    // because the routes it leads to hand connections back to this acceptor). Once.
    void start(Poco::Net::TCPServerConnectionFactory::Ptr factory);
    // Stops accepting (the listener stays open for the ProxyServer to close) and stops the
    // workers: connections still queued are closed, idle workers end. Idempotent.
    void stop();

    // Any thread: admission and queue for a connection that already carried an answer.
    void take_back(Poco::Net::StreamSocket socket) override;

  private:
    void run();
    // Admission, then the queue; `fresh`: just accepted (its socket options are set here).
    void admit(const Poco::Net::StreamSocket &socket, bool fresh);

    Poco::Net::ServerSocket listener_;
    WorkerQueue &workers_;
    ClientAdmission &admission_;
    std::mutex queue_mutex_;  // admission and enqueue as one step: what admission let in is queued
    // Under queue_mutex_; set once the accept thread ended (a connection it accepted meanwhile
    // still meets admission, which answers it), after which nothing more is queued.
    bool stopped_ = false;
    bool started_ = false;  // under queue_mutex_
    int wake_fd_ = -1;        // an eventfd that ends the accept loop's wait
    std::atomic<bool> stopping_{false};
    std::thread thread_;
};

}  // namespace vep::host
