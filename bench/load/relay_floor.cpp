// See relay_floor.hpp.
#include "relay_floor.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "ecdh_floor.hpp"

namespace vep::bench {
namespace {

using Clock = std::chrono::steady_clock;
constexpr auto kIdleLimit = std::chrono::seconds(10);  // a loop gives up after this long without data

// An owned descriptor.
struct Fd {
    int fd = -1;
    Fd() = default;
    explicit Fd(int f) : fd(f) {}
    Fd(Fd &&o) noexcept : fd(o.fd) { o.fd = -1; }
    Fd &operator=(Fd &&o) noexcept {
        std::swap(fd, o.fd);
        return *this;
    }
    ~Fd() {
        if (fd >= 0) ::close(fd);
    }
};

[[noreturn]] void fail(const std::string &what) { throw std::runtime_error("relay floor: " + what); }

// The calling thread's system time so far (getrusage RUSAGE_THREAD; tick-sampled by Linux, so
// an estimate, but a steady one over seconds).
double thread_system_seconds() {
    rusage usage{};
    ::getrusage(RUSAGE_THREAD, &usage);
    return static_cast<double>(usage.ru_stime.tv_sec) + static_cast<double>(usage.ru_stime.tv_usec) * 1e-6;
}

void add(std::atomic<double> &sum, double value) {
    double seen = sum.load();
    while (!sum.compare_exchange_weak(seen, seen + value)) {
    }
}

// A connected loopback TCP pair: first = the connecting end, second = the accepted end.
std::pair<Fd, Fd> tcp_pair(int listener, uint16_t port) {
    Fd out(::socket(AF_INET, SOCK_STREAM, 0));
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = htons(port);
    if (out.fd < 0 || ::connect(out.fd, reinterpret_cast<sockaddr *>(&a), sizeof a) != 0) fail("connect");
    Fd in(::accept(listener, nullptr, nullptr));
    if (in.fd < 0) fail("accept");
    const int one = 1;
    ::setsockopt(out.fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    ::setsockopt(in.fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    return {std::move(out), std::move(in)};
}

// Reads whole messages of `size` bytes from the sockets of `fds`, calling on_message(i) per
// message, until `expected` messages arrived or nothing came for kIdleLimit.
template <typename OnMessage>
size_t drain(const std::vector<int> &fds, size_t size, size_t expected, OnMessage on_message) {
    Fd ep(::epoll_create1(0));
    std::vector<size_t> partial(fds.size(), 0);
    for (size_t i = 0; i < fds.size(); ++i) {
        epoll_event ev{};
        ev.events = EPOLLIN;
        ev.data.u64 = i;
        if (::epoll_ctl(ep.fd, EPOLL_CTL_ADD, fds[i], &ev) != 0) fail("epoll_ctl");
    }
    std::vector<char> buf(64 * 1024);
    epoll_event events[256];
    size_t messages = 0;
    auto last = Clock::now();
    while (messages < expected && Clock::now() - last < kIdleLimit) {
        const int n = ::epoll_wait(ep.fd, events, 256, 100);
        for (int k = 0; k < n; ++k) {
            const size_t i = events[k].data.u64;
            const ssize_t r = ::recv(fds[i], buf.data(), buf.size(), MSG_DONTWAIT);
            if (r <= 0) continue;
            last = Clock::now();
            partial[i] += static_cast<size_t>(r);
            for (; partial[i] >= size; partial[i] -= size, ++messages) on_message(i);
        }
    }
    return messages;
}

}  // namespace

RelayFloorResult measure_relay_floor(const RelayFloorPlan &plan) {
    Fd listener(::socket(AF_INET, SOCK_STREAM, 0));
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    if (listener.fd < 0 || ::bind(listener.fd, reinterpret_cast<sockaddr *>(&a), sizeof a) != 0 ||
        ::listen(listener.fd, 4096) != 0 || ::getsockname(listener.fd, reinterpret_cast<sockaddr *>(&a), &len) != 0)
        fail("listen");
    const uint16_t port = ntohs(a.sin_port);

    // upstream[i]: sender -> relay; client[i]: relay -> reader.
    std::vector<Fd> up_send, up_recv, cl_send, cl_recv;
    for (size_t i = 0; i < plan.streams; ++i) {
        auto up = tcp_pair(listener.fd, port);
        auto cl = tcp_pair(listener.fd, port);
        up_send.push_back(std::move(up.first));
        up_recv.push_back(std::move(up.second));
        cl_send.push_back(std::move(cl.second));
        cl_recv.push_back(std::move(cl.first));
    }
    const size_t total = plan.streams * static_cast<size_t>(plan.chunks);
    const unsigned loops = std::max(1u, std::thread::hardware_concurrency());

    std::atomic<double> relay_cpu{0};
    std::atomic<double> relay_system{0};
    std::atomic<size_t> relayed{0};
    std::mutex error_mutex;
    std::string error;
    const auto guarded = [&](const auto &body) {
        try {
            body();
        } catch (const std::exception &e) {
            std::lock_guard lock(error_mutex);
            if (error.empty()) error = e.what();
        }
    };
    std::vector<std::thread> relays;
    for (unsigned l = 0; l < loops; ++l)
        relays.emplace_back([&, l] { guarded([&] {
            std::vector<int> mine, out;
            for (size_t i = l; i < plan.streams; i += loops) {
                mine.push_back(up_recv[i].fd);
                out.push_back(cl_send[i].fd);
            }
            EcdhWorkload ecdh;
            const std::string reply(plan.client_bytes, 'c');
            const size_t expected = mine.size() * static_cast<size_t>(plan.chunks);
            const double start = thread_cpu_seconds();
            const double system_start = thread_system_seconds();
            const size_t n = drain(mine, plan.upstream_bytes, expected, [&](size_t i) {
                ecdh.one();
                if (::send(out[i], reply.data(), reply.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(reply.size()))
                    fail("send");
            });
            add(relay_cpu, thread_cpu_seconds() - start);
            add(relay_system, thread_system_seconds() - system_start);
            relayed += n;
        }); });
    std::atomic<size_t> received{0};
    std::thread reader([&] {
        std::vector<int> fds;
        for (auto &f : cl_recv) fds.push_back(f.fd);
        received = drain(fds, plan.client_bytes, total, [](size_t) {});
    });

    // Stream i sends chunk j at ramp * i / streams + j * interval, as the sim paces its answers.
    const std::string chunk(plan.upstream_bytes, 'u');
    const auto begin = Clock::now();
    for (int j = 0; j < plan.chunks; ++j)
        for (size_t i = 0; i < plan.streams; ++i) {
            const auto at = begin + std::chrono::milliseconds(plan.ramp_ms * static_cast<int64_t>(i) /
                                                              static_cast<int64_t>(plan.streams)) +
                            std::chrono::milliseconds(static_cast<int64_t>(j) * plan.interval_ms);
            std::this_thread::sleep_until(at);
            if (::send(up_send[i].fd, chunk.data(), chunk.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(chunk.size()))
                fail("upstream send");
        }
    for (auto &t : relays) t.join();
    reader.join();
    if (!error.empty()) throw std::runtime_error(error);
    if (relayed.load() != total || received.load() != total)
        fail("relayed " + std::to_string(relayed.load()) + " and received " + std::to_string(received.load()) + " of " +
             std::to_string(total) + " chunks");
    return RelayFloorResult{total, relay_cpu.load(), relay_system.load()};
}

}  // namespace vep::bench
