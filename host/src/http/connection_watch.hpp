// ConnectionWatch: one thread that keeps the HTTP server's connections within their bounds, and
// the register of the connections open now (so stopping the server can end them all). The thread
// sleeps until the next thing is due (a deadline, a lingering close, housekeeping) —
//  - request read deadlines: a connection reading a request (its head, then its body) is armed
//    with a deadline (server.request_read_timeout); past it the watch shuts the socket's read side,
//    so the worker thread blocked on it wakes up at once instead of waiting on a slow client (a
//    connection still reading its head is closed; one reading its body is answered 408 by its
//    handler, which sees expired());
//  - lingering closes: a connection refused at accept gets a short time to read its 503 before it
//    is closed (closing at once with unread request bytes would reset it);
//  - stopping: which connections are working on a request now (from their accept, or from the
//    first byte of a keep-alive request, to the end of its answer), so a stopping server waits for
//    those and cuts only idle ones; once the server winds down, answers say Connection: close;
//  - housekeeping every few seconds: the server's own periodic step runs (the ProxyServer's: the
//    memory of worker threads that ended is handed back, and the upstream pool is swept).
// Owned by the ProxyServer; GuardedConnection enters, arms and leaves, the route handlers disarm.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <unordered_map>

#include <Poco/Net/StreamSocket.h>

namespace vep::host {

class ConnectionWatch {
  public:
    using Clock = std::chrono::steady_clock;

    // `housekeeping` (may be empty) runs on the watch's thread every few seconds.
    explicit ConnectionWatch(std::chrono::milliseconds read_timeout, std::function<void()> housekeeping = {});
    ~ConnectionWatch();
    ConnectionWatch(const ConnectionWatch &) = delete;
    ConnectionWatch &operator=(const ConnectionWatch &) = delete;

    std::chrono::milliseconds read_timeout() const { return read_timeout_; }
    // A connection opened / ended (`owner` as for arm()).
    void enter(int fd, const void *owner);
    void leave(int fd, const void *owner);
    // The server stops: connection loops end after their current request, and every open
    // connection is shut down so none waits on its client.
    void stop_all();
    bool stopping() const { return stopping_connections_.load(); }
    // The server drains: connections end after their current request (which says Connection: close).
    void wind_down() { winding_down_.store(true); }
    bool winding_down() const { return winding_down_.load(); }
    // A connection started / finished working on a request (GuardedConnection; starts at accept).
    void begin_work() { working_.fetch_add(1); }
    void end_work() { working_.fetch_sub(1); }
    int working() const { return working_.load(); }
    // Refused sockets not closed yet (each at most a moment).
    size_t lingering() const;
    // The socket `fd` of the connection `owner` (its socket's impl, which outlives a reuse of the
    // descriptor number) must finish reading its request by `deadline`.
    void arm(int fd, const void *owner, Clock::time_point deadline);
    // The request is read (or the connection ends): no deadline for `fd`. Must be called before
    // the descriptor is closed or handed on.
    void disarm(int fd, const void *owner);
    // Whether `fd`'s deadline passed (its read side was shut).
    bool expired(int fd, const void *owner) const;
    // Keeps `socket` open for a moment (its 503 is on the way), then closes it.
    void linger_close(Poco::Net::StreamSocket socket);

  private:
    struct Deadline {
        const void *owner = nullptr;
        Clock::time_point at;
        bool expired = false;
    };
    void run();
    // The earliest of `housekeeping`, the unexpired deadlines and the first lingering close.
    Clock::time_point next_due(Clock::time_point housekeeping) const;
    // Called with the lock held: wakes the watch when `at` is before the time it sleeps until.
    void due_by(Clock::time_point at);

    const std::chrono::milliseconds read_timeout_;
    const std::function<void()> housekeeping_;
    mutable std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    // The watch sleeps until wake_at_ (nothing is due before); woken_early_ cuts that short.
    Clock::time_point wake_at_ = Clock::time_point::max();
    bool woken_early_ = false;
    std::unordered_map<int, Deadline> deadlines_;
    std::unordered_map<int, const void *> open_;
    std::atomic<bool> stopping_connections_{false};
    std::atomic<bool> winding_down_{false};
    std::atomic<int> working_{0};
    std::deque<std::pair<Clock::time_point, Poco::Net::StreamSocket>> lingering_;
    std::thread thread_;
};

}  // namespace vep::host
