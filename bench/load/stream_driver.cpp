// See stream_driver.hpp.
#include "stream_driver.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <unordered_map>

namespace vep::bench {
namespace {

double ms_between(SteadyClock::time_point a, SteadyClock::time_point b) {
    return std::chrono::duration<double, std::milli>(b - a).count();
}

struct Connection {
    int fd = -1;
    bool connected = false;
    size_t written = 0;
    SteadyClock::time_point started;
    SteadyClock::time_point last_content;
    SseResponseReader reader;
    StreamRecord record;
    bool done = false;
};

class Phase {
  public:
    Phase(const PhasePlan &plan, const EventJudge &judge, const PhaseTick &tick)
        : plan_(plan), judge_(judge), tick_(tick), epoll_(epoll_create1(EPOLL_CLOEXEC)) {
        if (epoll_ < 0) throw std::runtime_error("epoll_create1 failed");
        std::memset(&address_, 0, sizeof address_);
        address_.sin_family = AF_INET;
        address_.sin_port = htons(plan.port);
        address_.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    }
    ~Phase() {
        for (auto &entry : open_) close(entry.first);
        for (auto &c : idle_) close(c->fd);
        close(epoll_);
    }

    PhaseResult run() {
        const auto begin = SteadyClock::now();
        auto next_tick = begin;
        std::vector<epoll_event> ready(1024);
        std::vector<char> buffer(64 * 1024);
        for (;;) {
            const auto now = SteadyClock::now();
            start_due(begin, now);
            if (open_.empty() && !more_to_start(now)) break;
            if (now >= next_tick) {
                expire(now);
                result_.peak_open = std::max(result_.peak_open, open_.size());
                if (tick_) tick_(open_.size());
                next_tick = now + std::chrono::milliseconds(100);
            }
            const int n = epoll_wait(epoll_, ready.data(), static_cast<int>(ready.size()), 10);
            if (n < 0 && errno != EINTR) throw std::runtime_error("epoll_wait failed");
            for (int i = 0; i < n; ++i) handle(ready[static_cast<size_t>(i)], buffer);
        }
        result_.wall_seconds = ms_between(begin, SteadyClock::now()) / 1000.0;
        return std::move(result_);
    }

  private:
    bool more_to_start(SteadyClock::time_point now) const {
        if (started_ >= plan_.total) return false;
        return !plan_.stop_starting_at || now < *plan_.stop_starting_at;
    }

    void start_due(SteadyClock::time_point begin, SteadyClock::time_point now) {
        while (open_.size() < plan_.concurrency && more_to_start(now)) {
            if (started_ < plan_.concurrency && plan_.ramp.count() > 0) {
                const auto due = begin + plan_.ramp * static_cast<long>(started_) / static_cast<long>(plan_.concurrency);
                if (now < due) return;
            }
            start_one(now);
        }
    }

    void start_one(SteadyClock::time_point now) {
        ++started_;
        if (!idle_.empty()) return reuse(now);
        auto c = std::make_unique<Connection>();
        c->started = now;
        c->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        if (c->fd < 0) {
            c->record.failure = std::string("socket: ") + std::strerror(errno);
            result_.streams.push_back(std::move(c->record));
            return;
        }
        const int one = 1;
        setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        if (connect(c->fd, reinterpret_cast<const sockaddr *>(&address_), sizeof address_) != 0 && errno != EINPROGRESS) {
            c->record.failure = std::string("connect: ") + std::strerror(errno);
            close(c->fd);
            result_.streams.push_back(std::move(c->record));
            return;
        }
        epoll_event ev{};
        ev.events = EPOLLOUT | EPOLLIN | EPOLLRDHUP;
        ev.data.fd = c->fd;
        epoll_ctl(epoll_, EPOLL_CTL_ADD, c->fd, &ev);
        open_.emplace(c->fd, std::move(c));
    }

    // The next stream on a connection kept open by the last one: it starts with sending.
    void reuse(SteadyClock::time_point now) {
        std::unique_ptr<Connection> c = std::move(idle_.back());
        idle_.pop_back();
        const int fd = c->fd;
        *c = Connection{};
        c->fd = fd;
        c->connected = true;
        c->started = now;
        epoll_event ev{};
        ev.events = EPOLLOUT | EPOLLIN | EPOLLRDHUP;
        ev.data.fd = fd;
        epoll_ctl(epoll_, EPOLL_CTL_ADD, fd, &ev);
        open_.emplace(fd, std::move(c));
    }

    void finish(Connection &c, std::string failure) {
        if (failure.empty() && !c.done) failure = "stream ended before [DONE]";
        if (failure.empty() && plan_.expected_chunks != 0 && c.record.content_chunks != plan_.expected_chunks)
            failure = "got " + std::to_string(c.record.content_chunks) + " content chunks, expected " +
                      std::to_string(plan_.expected_chunks);
        c.record.ok = failure.empty();
        c.record.failure = std::move(failure);
        epoll_ctl(epoll_, EPOLL_CTL_DEL, c.fd, nullptr);
        const int fd = c.fd;
        const bool keep = plan_.keep_alive && c.record.ok && c.reader.body_complete();
        result_.streams.push_back(std::move(c.record));
        auto it = open_.find(fd);
        if (keep) idle_.push_back(std::move(it->second));
        else close(fd);
        open_.erase(it);
    }

    void expire(SteadyClock::time_point now) {
        std::vector<int> late;
        for (auto &entry : open_)
            if (now - entry.second->started > plan_.stream_timeout) late.push_back(entry.first);
        for (int fd : late) finish(*open_.at(fd), "timed out");
    }

    void handle(const epoll_event &ev, std::vector<char> &buffer) {
        auto it = open_.find(ev.data.fd);
        if (it == open_.end()) return;
        Connection &c = *it->second;
        if (!c.connected && (ev.events & (EPOLLOUT | EPOLLERR | EPOLLHUP))) {
            int error = 0;
            socklen_t len = sizeof error;
            getsockopt(c.fd, SOL_SOCKET, SO_ERROR, &error, &len);
            if (error != 0) return finish(c, std::string("connect: ") + std::strerror(error));
            c.connected = true;
        }
        if (c.connected && c.written < plan_.request.size()) {
            const ssize_t n = send(c.fd, plan_.request.data() + c.written, plan_.request.size() - c.written, MSG_NOSIGNAL);
            if (n < 0 && errno != EAGAIN) return finish(c, std::string("send: ") + std::strerror(errno));
            if (n > 0) c.written += static_cast<size_t>(n);
            if (c.written == plan_.request.size()) {
                epoll_event in{};
                in.events = EPOLLIN | EPOLLRDHUP;
                in.data.fd = c.fd;
                epoll_ctl(epoll_, EPOLL_CTL_MOD, c.fd, &in);
            }
        }
        if (!(ev.events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR))) return;
        for (;;) {
            const ssize_t n = recv(c.fd, buffer.data(), buffer.size(), 0);
            if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;
            if (n < 0) return finish(c, std::string("recv: ") + std::strerror(errno));
            if (n == 0) return finish(c, c.reader.finish_at_close() || c.done ? "" : "connection closed mid-response");
            const auto now = SteadyClock::now();
            if (!consume(c, std::string_view(buffer.data(), static_cast<size_t>(n)), now)) return;
        }
    }

    // false when the connection was finished.
    bool consume(Connection &c, std::string_view bytes, SteadyClock::time_point now) {
        std::vector<SseClientEvent> events;
        if (!c.reader.feed(bytes, events)) {
            finish(c, "bad response: " + c.reader.error());
            return false;
        }
        if (c.reader.headers_done() && c.reader.status() != 200) {
            finish(c, "HTTP " + std::to_string(c.reader.status()));
            return false;
        }
        for (const auto &event : events) {
            std::string why;
            switch (judge_(event, c.record.content_chunks, why)) {
            case EventVerdict::Content:
                if (c.record.content_chunks == 0) c.record.ttft_ms = ms_between(c.started, now);
                else c.record.gaps_ms.push_back(ms_between(c.last_content, now));
                c.last_content = now;
                ++c.record.content_chunks;
                break;
            case EventVerdict::Other: break;
            case EventVerdict::Done: c.done = true; break;
            case EventVerdict::Failure: finish(c, why.empty() ? "error event" : why); return false;
            }
        }
        // On a kept-alive connection the rest of the body (the chunked terminator) is read first.
        if (c.done && (!plan_.keep_alive || c.reader.body_complete())) {
            finish(c, "");
            return false;
        }
        return true;
    }

    const PhasePlan &plan_;
    const EventJudge &judge_;
    const PhaseTick &tick_;
    int epoll_;
    sockaddr_in address_{};
    std::unordered_map<int, std::unique_ptr<Connection>> open_;
    std::vector<std::unique_ptr<Connection>> idle_;  // keep_alive: connections between streams
    size_t started_ = 0;
    PhaseResult result_;
};

}  // namespace

PhaseResult run_phase(const PhasePlan &plan, const EventJudge &judge, const PhaseTick &tick) {
    return Phase(plan, judge, tick).run();
}

}  // namespace vep::bench
