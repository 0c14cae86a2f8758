// ClientAdmission: decides whether the server takes a connection — at accept, and again when a
// kept-alive connection comes back from the relay with its next request — so that no client can
// hold every worker thread and an overloaded server still answers. Refused are a connection
// beyond server.max_connections_per_client from one client address, and one that would overflow
// the worker queue (server.max_queued connections already waiting for a worker); each gets an
// immediate 503 server_overloaded (Connection: close) instead of a reset or silence (on a TLS
// listener the connection is closed at once: a plain-text reply means nothing to a TLS client).
// Once a draining server closes its doors, every connection is refused that way with 503
// server_draining (ProxyServer also hands it the connections left in the listen backlog).
// Counts the open connections per address: taken here, given back by GuardedConnection when the
// connection ends. Arms an admitted connection's request read deadline, so time spent waiting in
// the queue counts, and counts it as working in the ConnectionWatch. Called by the
// ConnectionAcceptor, which holds its queue lock meanwhile.
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>

#include <Poco/Net/IPAddress.h>
#include <Poco/Net/StreamSocket.h>

#include "http/connection_watch.hpp"
#include "http/worker_queue.hpp"

namespace vep::host {

class ClientAdmission {
  public:
    // `per_client` 0 = unlimited; `max_queued` connections may wait in `queue`; `tls` when
    // connections must be TLS from their first byte.
    ClientAdmission(uint32_t per_client, uint32_t max_queued, bool tls, ConnectionWatch &watch, const WorkerQueue &queue)
        : per_client_(per_client), max_queued_(max_queued), tls_(tls), watch_(watch), queue_(queue) {}
    // True when the connection may be queued; otherwise it has been refused.
    bool accept(const Poco::Net::StreamSocket &socket);
    // From now on every connection is refused with 503 server_draining.
    void close_doors() { doors_closed_.store(true); }
    // A connection from `client` ended.
    void connection_closed(const Poco::Net::IPAddress &client);

  private:
    // Answers 503 with the error `code` and closes.
    void refuse(const Poco::Net::StreamSocket &socket, const std::string &code, const std::string &why);

    const uint32_t per_client_;
    const uint32_t max_queued_;
    const bool tls_;
    ConnectionWatch &watch_;
    const WorkerQueue &queue_;
    std::atomic<bool> doors_closed_{false};
    std::mutex mutex_;
    std::unordered_map<std::string, uint32_t> open_;  // by client address (binary form)
};

}  // namespace vep::host
