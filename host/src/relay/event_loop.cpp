// See event_loop.hpp.
#include "relay/event_loop.hpp"

#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <system_error>
#include <vector>

namespace vep::host {
namespace {

constexpr int kMaxEventsPerWait = 256;

[[noreturn]] void throw_errno(const char *what) { throw std::system_error(errno, std::generic_category(), what); }

}  // namespace

EventLoop::EventLoop() {
    epoll_fd_ = ::epoll_create1(EPOLL_CLOEXEC);
    if (epoll_fd_ < 0) throw_errno("epoll_create1");
    wake_fd_ = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (wake_fd_ < 0) {
        const int saved = errno;
        ::close(epoll_fd_);
        throw std::system_error(saved, std::generic_category(), "eventfd");
    }
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.fd = wake_fd_;
    if (::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, wake_fd_, &ev) != 0) throw_errno("epoll_ctl(eventfd)");
    thread_ = std::thread([this] { run(); });
}

EventLoop::~EventLoop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    const uint64_t one = 1;
    [[maybe_unused]] const ssize_t n = ::write(wake_fd_, &one, sizeof one);
    thread_.join();
    ::close(wake_fd_);
    ::close(epoll_fd_);
}

void EventLoop::post(std::function<void()> task) {
    if (on_loop_thread()) {
        local_.push_back(std::move(task));
        return;
    }
    {
        std::lock_guard lock(mutex_);
        posted_.push_back(std::move(task));
    }
    const uint64_t one = 1;
    [[maybe_unused]] const ssize_t n = ::write(wake_fd_, &one, sizeof one);
}

void EventLoop::control(int op, int fd, uint32_t events, IoHandler *handler) {
    epoll_event ev{};
    ev.events = events;
    ev.data.fd = fd;
    if (::epoll_ctl(epoll_fd_, op, fd, &ev) != 0) throw_errno(op == EPOLL_CTL_ADD ? "epoll_ctl(add)" : "epoll_ctl(mod)");
    handlers_[fd] = handler;
}

void EventLoop::watch(int fd, uint32_t events, IoHandler *handler) { control(EPOLL_CTL_ADD, fd, events, handler); }

void EventLoop::rewatch(int fd, uint32_t events, IoHandler *handler) { control(EPOLL_CTL_MOD, fd, events, handler); }

void EventLoop::unwatch(int fd) {
    ::epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, fd, nullptr);
    handlers_.erase(fd);
}

bool EventLoop::run_posted() {
    // The wake counter is read before the stop flag is checked: the destructor sets the flag
    // before it writes, so a read that consumed its write is followed by a check that sees it.
    uint64_t count = 0;
    [[maybe_unused]] const ssize_t n = ::read(wake_fd_, &count, sizeof count);
    std::deque<std::function<void()>> tasks;
    {
        std::lock_guard lock(mutex_);
        if (stopping_) return false;
        tasks.swap(posted_);
    }
    for (auto &task : tasks) task();
    return true;
}

void EventLoop::run() {
    epoll_event events[kMaxEventsPerWait];
    now_ = Clock::now();
    auto next_tick = now_ + kTick;
    std::vector<IoHandler *> due;
    for (;;) {
        // One clock read per wake-up: the wait is computed from the time read after the last one.
        // Without tickers the loop sleeps until a descriptor or a posted task wakes it.
        // Tasks the loop posted to itself are due at once.
        const bool ticking = !tickers_.empty();
        const auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(next_tick - now_).count();
        const int timeout = !local_.empty() ? 0 : ticking ? static_cast<int>(std::max<int64_t>(0, wait) + 1) : -1;
        const int n = ::epoll_wait(epoll_fd_, events, kMaxEventsPerWait, timeout);
        now_ = Clock::now();
        bool wake = false;
        for (int i = 0; i < n; ++i) {
            const int fd = events[i].data.fd;
            if (fd == wake_fd_) {
                wake = true;
                continue;
            }
            // A handler earlier in this batch may have unwatched this descriptor; descriptors are
            // only (re)watched by posted tasks, which run after the batch, so a stale event finds
            // no handler here.
            if (auto it = handlers_.find(fd); it != handlers_.end()) it->second->on_ready(fd, events[i].events);
        }
        if (wake && !run_posted()) return;
        if (ticking && now_ >= next_tick) {
            due.assign(tickers_.begin(), tickers_.end());
            for (IoHandler *h : due)
                if (tickers_.count(h)) h->on_tick(now_);
        }
        if (!ticking || now_ >= next_tick) next_tick = now_ + kTick;
        run_local();
    }
}

void EventLoop::run_local() {
    std::deque<std::function<void()>> tasks;
    tasks.swap(local_);
    for (auto &task : tasks) task();
}

}  // namespace vep::host
