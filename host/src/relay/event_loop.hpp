// EventLoop: one thread running an epoll set (level-triggered) over the sockets of many relayed
// chat responses, plus a queue of tasks posted from other threads (woken through an eventfd) and a
// tick every kTick, while any handler is registered for it, that lets each such handler check its
// own deadlines (a loop without tickers sleeps until an event or a task wakes it). Everything a
// handler does runs on the loop's thread, so handlers need no locks. Owned by the RelayPump (one
// loop per relay thread); RelayJobs register their sockets with it.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <unordered_set>

namespace vep::host {

// A socket's owner on the loop: told when its descriptor is ready and on every tick.
class IoHandler {
  public:
    virtual ~IoHandler() = default;
    // `events` are epoll event bits (EPOLLIN, EPOLLOUT, EPOLLRDHUP, EPOLLHUP, EPOLLERR).
    virtual void on_ready(int fd, uint32_t events) = 0;
    virtual void on_tick(std::chrono::steady_clock::time_point now) = 0;
};

class EventLoop {
  public:
    using Clock = std::chrono::steady_clock;
    static constexpr std::chrono::milliseconds kTick{50};

    // Starts the thread; throws std::system_error when epoll or eventfd cannot be created.
    EventLoop();
    // Stops and joins (tasks still queued are dropped; handlers must be gone by then).
    ~EventLoop();
    EventLoop(const EventLoop &) = delete;
    EventLoop &operator=(const EventLoop &) = delete;

    // Thread-safe: runs `task` on the loop thread, in posting order. Posted from the loop thread
    // itself, the task runs after the current batch of events, tasks and ticks, without a wake-up.
    void post(std::function<void()> task);

    // Loop thread only. watch() adds `fd` with the given interest, rewatch() changes it,
    // unwatch() removes it (call before closing the descriptor). Throw std::system_error.
    void watch(int fd, uint32_t events, IoHandler *handler);
    void rewatch(int fd, uint32_t events, IoHandler *handler);
    void unwatch(int fd);
    // Loop thread only: on_tick() is called on `handler` every kTick until remove_ticker().
    void add_ticker(IoHandler *handler) { tickers_.insert(handler); }
    void remove_ticker(IoHandler *handler) { tickers_.erase(handler); }

    bool on_loop_thread() const { return std::this_thread::get_id() == thread_.get_id(); }
    // Loop thread: the time read when the current batch of events was returned.
    Clock::time_point now() const { return now_; }

  private:
    void run();
    // Runs the queued tasks; false once the loop is stopping.
    bool run_posted();
    // Runs the tasks the loop thread posted to itself before this call.
    void run_local();
    void control(int op, int fd, uint32_t events, IoHandler *handler);

    int epoll_fd_ = -1;
    int wake_fd_ = -1;
    std::mutex mutex_;
    std::deque<std::function<void()>> posted_;
    std::deque<std::function<void()>> local_;  // posted by the loop thread: no lock, no eventfd
    bool stopping_ = false;
    Clock::time_point now_;
    std::unordered_map<int, IoHandler *> handlers_;
    std::unordered_set<IoHandler *> tickers_;
    std::thread thread_;
};

}  // namespace vep::host
