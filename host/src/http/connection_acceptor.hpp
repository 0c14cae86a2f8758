// ConnectionAcceptor: the proxy's accept loop and its worker queue. One thread waits on the
// listening socket (a blocking poll that a stop wakes, no periodic polls), accepts, lets
// ClientAdmission decide (per-client cap, 503 on overflow or once the doors are closed), sets
// TCP_NODELAY and a fixed 64 KiB send buffer, and puts the connection in the queue of Poco's
// TCPServerDispatcher, whose worker threads (the server's thread pool, up to server.max_threads;
// server.max_queued waiting) run a GuardedConnection for it. It is also the relay's
// ConnectionReturn: a client connection whose relayed answer ended cleanly and whose next request
// has begun to arrive goes through the same admission into the same queue, as if it had just been
// accepted. Owned by the ProxyServer, which closes the listener itself after stop().
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <thread>

#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/TCPServerConnectionFactory.h>
#include <Poco/Net/TCPServerDispatcher.h>
#include <Poco/Net/TCPServerParams.h>
#include <Poco/ThreadPool.h>

#include "http/client_admission.hpp"
#include "relay/connection_handover.hpp"

namespace vep::host {

class ConnectionAcceptor final : public ConnectionReturn {
  public:
    // `listener` is bound and listening; `pool` and `admission` outlive the acceptor.
    ConnectionAcceptor(Poco::Net::ServerSocket listener, Poco::ThreadPool &pool, Poco::Net::TCPServerParams::Ptr params,
                       ClientAdmission &admission);
    ~ConnectionAcceptor() override;
    ConnectionAcceptor(const ConnectionAcceptor &) = delete;
    ConnectionAcceptor &operator=(const ConnectionAcceptor &) = delete;

    // Starts serving: `factory` makes each connection's handler (given here, not at construction,
    // because the routes it leads to hand connections back to this acceptor). Once.
    void start(Poco::Net::TCPServerConnectionFactory::Ptr factory);
    // Stops accepting (the listener stays open for the ProxyServer to close) and stops the
    // dispatcher: connections still queued are closed, idle workers end. Idempotent.
    void stop();

    // Any thread: admission and queue for a connection that already carried an answer.
    void take_back(Poco::Net::StreamSocket socket) override;

  private:
    void run();
    // Admission, then the queue; `fresh`: just accepted (its socket options are set here).
    void admit(const Poco::Net::StreamSocket &socket, bool fresh);

    Poco::Net::ServerSocket listener_;
    Poco::ThreadPool &pool_;
    Poco::Net::TCPServerParams::Ptr params_;
    // Made by start(); reference counted: worker threads hold it too.
    Poco::Net::TCPServerDispatcher *dispatcher_ = nullptr;
    ClientAdmission &admission_;
    std::mutex queue_mutex_;  // admission and enqueue as one step: what admission let in is queued
    // Under queue_mutex_; set once the accept thread ended (a connection it accepted meanwhile
    // still meets admission, which answers it), after which nothing more is queued.
    bool stopped_ = false;
    int wake_fd_ = -1;        // an eventfd that ends the accept loop's wait
    std::atomic<bool> stopping_{false};
    std::thread thread_;
};

}  // namespace vep::host
