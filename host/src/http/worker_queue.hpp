// WorkerQueue: the HTTP server's worker threads and the connections waiting for one. A queued
// connection goes to a worker waiting for work, or to a new worker while fewer than max_threads
// run; otherwise it waits for the next worker that finishes. A worker runs the connection's
// handler (the factory's, Poco's TCPServerConnection) to its end and then takes the next one; a
// worker that waited `idle` for work ends, down to `min_threads`. The worker that began waiting
// last is woken first, so light steady work keeps one worker busy and lets the others end (woken
// in turn, every waiting worker could see work often enough never to end). Handing a connection
// to a waiting worker is one wake-up: Poco's TCPServerDispatcher and ThreadPool, which this
// replaces, sent a worker back to the pool after each connection when more than one ran, and
// started it anew for the next (6.7 futex calls per chat request against 3.0 here). Owned by the
// ProxyServer; the ConnectionAcceptor starts, feeds (after ClientAdmission, which reads queued())
// and stops it, the draining ProxyServer joins it, and its housekeeping calls hand_back_memory().
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>
#include <vector>

#include <Poco/Net/StreamSocket.h>
#include <Poco/Net/TCPServerConnectionFactory.h>

namespace vep::host {

class WorkerQueue {
  public:
    struct Limits {
        uint32_t min_threads = 1;  // kept while idle
        uint32_t max_threads = 1;
        std::chrono::milliseconds idle{10000};  // a worker above min_threads that waited this long ends
        size_t stack_bytes = 256 * 1024;
    };

    explicit WorkerQueue(Limits limits);
    // Stops and waits for every worker.
    ~WorkerQueue();
    WorkerQueue(const WorkerQueue &) = delete;
    WorkerQueue &operator=(const WorkerQueue &) = delete;

    // Before the first enqueue: what makes each connection's handler. Once.
    void start(Poco::Net::TCPServerConnectionFactory::Ptr factory);
    // Any thread: `socket` is served by a worker. After stop() it is closed instead.
    void enqueue(const Poco::Net::StreamSocket &socket);
    // Connections waiting for a worker.
    size_t queued() const;
    // Workers running now (serving or waiting).
    uint32_t threads() const;
    // Queued connections are closed, waiting workers end, busy ones after their connection.
    // Nothing is queued from now on. Idempotent.
    void stop();
    // Waits until every worker ended (after stop(): the connections they serve must end).
    void join();
    // Hands the memory of workers that ended since the last call back to the system (their
    // malloc arenas keep it otherwise). For the server's periodic housekeeping.
    void hand_back_memory();

  private:
    // How a worker waits for a connection. Kept until the queue is destroyed and reused by later
    // workers, so a wake-up sent after the lock was released never reaches freed memory.
    struct Waiter {
        std::condition_variable wake;
        bool handed = false;  // a connection was queued for this worker (under the lock)
    };

    void work();
    // With the lock held: starts a new worker unless the system refuses the thread.
    void add_worker();

    const Limits limits_;
    Poco::Net::TCPServerConnectionFactory::Ptr factory_;
    mutable std::mutex mutex_;
    std::condition_variable all_ended_;    // the last worker ended
    std::deque<Poco::Net::StreamSocket> queue_;
    std::deque<Waiter> waiters_;         // one per worker that ran at once, at most max_threads
    std::vector<Waiter *> free_waiters_;  // not in use by a worker
    std::vector<Waiter *> waiting_;       // workers waiting for a connection; the last began waiting last
    uint32_t threads_ = 0;
    uint64_t ended_ = 0;     // workers that ended, ever
    uint64_t trimmed_at_ = 0;  // ended_ when hand_back_memory() last trimmed
    bool stopped_ = false;
};

}  // namespace vep::host
