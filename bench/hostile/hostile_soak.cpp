// hostile_soak: the D1 and D3 hostile-client attacks against a running proxy, with the proxy's
// RSS, threads and open descriptors (from /proc/<pid>) sampled every 200 ms and /healthz probed
// once a second from a fresh connection. Phases: D1 400 x 1 MiB metadata.session_id, D1 many
// valid sessions, D3 slow connections (one byte every few seconds), D3 a connection flood while
// the slow ones stay open, then an idle period. Prints markdown tables for docs/benchmarks.md.
// Self-contained (POSIX + the standard library): bench/hostile/soak.sh starts venice-sim and the
// proxy and runs it; every phase has a time budget, so it always ends by itself.
#include <arpa/inet.h>
#include <dirent.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;
using Ms = std::chrono::milliseconds;
using namespace std::chrono_literals;

struct Options {
    uint16_t port = 0;
    pid_t pid = 0;
    std::string model = "e2ee-hermes-3-llama-3.1-405b-p";
    int big_ids = 400;
    size_t big_id_bytes = 1u << 20;
    int sessions = 5000;
    int slow = 330;
    int slow_interval_ms = 5000;
    int slow_seconds = 60;
    int flood = 5000;
    int idle_seconds = 30;
};

// ------------------------------------------------------------------------------------------
// Sockets

int remaining_ms(Clock::time_point deadline) {
    const auto left = std::chrono::duration_cast<Ms>(deadline - Clock::now()).count();
    return left <= 0 ? 0 : static_cast<int>(left);
}

// The health prober's own client address: a second loopback address, as a load balancer is a
// client of its own and not the attacker (whose address the per-client cap fills).
constexpr uint32_t kProberAddress = 0x7f000002;  // 127.0.0.2

// A non-blocking socket with connect() started, from `source` (host order; 0 = any); -1 when
// even that failed.
int start_connect(uint16_t port, uint32_t source = 0) {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) return -1;
    if (source != 0) {
        sockaddr_in local{};
        local.sin_family = AF_INET;
        local.sin_addr.s_addr = htonl(source);
        if (::bind(fd, reinterpret_cast<sockaddr *>(&local), sizeof local) != 0) {
            ::close(fd);
            return -1;
        }
    }
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<sockaddr *>(&addr), sizeof addr) != 0 && errno != EINPROGRESS) {
        ::close(fd);
        return -1;
    }
    return fd;
}

bool connected(int fd) {
    int err = 0;
    socklen_t len = sizeof err;
    return ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) == 0 && err == 0;
}

bool send_all(int fd, const std::string &data, Clock::time_point deadline) {
    size_t sent = 0;
    while (sent < data.size()) {
        const ssize_t n = ::send(fd, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
        if (n > 0) {
            sent += static_cast<size_t>(n);
        } else if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
            pollfd p{fd, POLLOUT, 0};
            if (::poll(&p, 1, remaining_ms(deadline)) <= 0) return false;
        } else {
            return false;
        }
    }
    return true;
}

// One request with "Connection: close" on a fresh connection; the HTTP status of the answer
// (0: no status line before EOF, reset or `limit`).
int request_status(uint16_t port, const std::string &request, Ms limit, uint32_t source = 0) {
    const auto deadline = Clock::now() + limit;
    const int fd = start_connect(port, source);
    if (fd < 0) return 0;
    pollfd p{fd, POLLOUT, 0};
    std::string got;
    if (::poll(&p, 1, remaining_ms(deadline)) == 1 && connected(fd) && send_all(fd, request, deadline)) {
        char buf[65536];
        for (;;) {
            const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
            if (n > 0) {
                got.append(buf, static_cast<size_t>(n));
                if (got.size() > (4u << 20)) break;
                continue;
            }
            if (n == 0 || (errno != EAGAIN && errno != EINTR)) break;
            pollfd in{fd, POLLIN, 0};
            if (::poll(&in, 1, remaining_ms(deadline)) <= 0) break;
        }
    }
    ::close(fd);
    if (got.rfind("HTTP/1.", 0) != 0 || got.size() < 12) return 0;
    return std::atoi(got.c_str() + 9);
}

std::string json_escape(const std::string &s) {
    std::string out;
    for (char c : s) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
    }
    return out;
}

std::string chat_request(const Options &o, const std::string &session_id) {
    const std::string body = "{\"model\":\"" + o.model +
                             "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"stream\":false,"
                             "\"metadata\":{\"session_id\":\"" + json_escape(session_id) + "\"}}";
    return "POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
           "Content-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
}

const std::string kHealthz = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";

// ------------------------------------------------------------------------------------------
// /proc sampling and /healthz probing, attributed to the current phase

struct Reading {
    double rss_mib = 0;
    size_t threads = 0;
    size_t fds = 0;
};

size_t count_entries(const std::string &dir) {
    DIR *d = ::opendir(dir.c_str());
    if (d == nullptr) return 0;
    size_t n = 0;
    while (const dirent *e = ::readdir(d))
        if (std::strcmp(e->d_name, ".") != 0 && std::strcmp(e->d_name, "..") != 0) ++n;
    ::closedir(d);
    return n;
}

std::optional<Reading> read_proc(pid_t pid) {
    const std::string base = "/proc/" + std::to_string(pid);
    std::ifstream status(base + "/status");
    if (!status) return std::nullopt;
    Reading r;
    for (std::string line; std::getline(status, line);)
        if (line.rfind("VmRSS:", 0) == 0) r.rss_mib = std::stod(line.substr(6)) / 1024.0;
    r.threads = count_entries(base + "/task");
    r.fds = count_entries(base + "/fd");
    return r;
}

struct Phase {
    std::string name;
    Clock::time_point started, ended;
    Reading last, peak;
    int probes = 0, probes_ok = 0;
    long probe_max_ms = 0;
    std::string outcome;
};

class Monitor {
  public:
    explicit Monitor(const Options &o) : o_(o) {
        sampler_ = std::thread([this] { sample_loop(); });
        prober_ = std::thread([this] { probe_loop(); });
    }
    ~Monitor() {
        stop_ = true;
        sampler_.join();
        prober_.join();
    }
    void begin(const std::string &name) {
        std::lock_guard<std::mutex> lock(mutex_);
        if (!phases_.empty()) phases_.back().ended = Clock::now();
        Phase p;
        p.name = name;
        p.started = Clock::now();
        if (auto r = read_proc(o_.pid)) p.last = p.peak = *r;
        phases_.push_back(p);
        std::cerr << "hostile_soak: " << name << "\n";
    }
    void outcome(const std::string &text) {
        std::lock_guard<std::mutex> lock(mutex_);
        phases_.back().outcome = text;
    }
    std::vector<Phase> finish() {
        std::lock_guard<std::mutex> lock(mutex_);
        phases_.back().ended = Clock::now();
        if (auto r = read_proc(o_.pid)) phases_.back().last = *r;
        return phases_;
    }

  private:
    void sample_loop() {
        while (!stop_) {
            if (auto r = read_proc(o_.pid)) {
                std::lock_guard<std::mutex> lock(mutex_);
                if (!phases_.empty()) {
                    auto &p = phases_.back();
                    p.last = *r;
                    p.peak.rss_mib = std::max(p.peak.rss_mib, r->rss_mib);
                    p.peak.threads = std::max(p.peak.threads, r->threads);
                    p.peak.fds = std::max(p.peak.fds, r->fds);
                }
            }
            std::this_thread::sleep_for(200ms);
        }
    }
    void probe_loop() {
        while (!stop_) {
            const auto started = Clock::now();
            const int status = request_status(o_.port, kHealthz, 2s, kProberAddress);
            const long ms = std::chrono::duration_cast<Ms>(Clock::now() - started).count();
            {
                std::lock_guard<std::mutex> lock(mutex_);
                if (!phases_.empty()) {
                    auto &p = phases_.back();
                    ++p.probes;
                    if (status == 200) {
                        ++p.probes_ok;
                        p.probe_max_ms = std::max(p.probe_max_ms, ms);
                    }
                }
            }
            std::this_thread::sleep_until(started + 1s);
        }
    }

    const Options &o_;
    std::mutex mutex_;
    std::vector<Phase> phases_;
    std::atomic<bool> stop_{false};
    std::thread sampler_, prober_;
};

std::string counts(const std::map<int, int> &by_status) {
    std::ostringstream out;
    bool first = true;
    for (const auto &[status, n] : by_status) {
        out << (first ? "" : ", ") << (status == 0 ? std::string("no answer") : std::to_string(status)) << ": " << n;
        first = false;
    }
    return out.str();
}

// ------------------------------------------------------------------------------------------
// Attacks

// D1: oversized metadata.session_id values, one after another.
std::string big_session_ids(const Options &o) {
    std::map<int, int> by_status;
    std::string id(o.big_id_bytes, 'a');
    const auto budget = Clock::now() + 240s;
    int sent = 0;
    for (; sent < o.big_ids && Clock::now() < budget; ++sent) {
        const std::string tag = std::to_string(sent);
        id.replace(id.size() - tag.size(), tag.size(), tag);
        ++by_status[request_status(o.port, chat_request(o, id), 30s)];
    }
    return std::to_string(sent) + " sent: " + counts(by_status);
}

// D1: valid distinct sessions from 8 client threads.
std::string valid_sessions(const Options &o) {
    std::mutex mutex;
    std::map<int, int> by_status;
    std::atomic<int> next{0};
    const auto budget = Clock::now() + 180s;
    std::vector<std::thread> workers;
    for (int w = 0; w < 8; ++w)
        workers.emplace_back([&] {
            for (int i; (i = next++) < o.sessions && Clock::now() < budget;) {
                const int status = request_status(o.port, chat_request(o, "soak-session-" + std::to_string(i)), 30s);
                std::lock_guard<std::mutex> lock(mutex);
                ++by_status[status];
            }
        });
    for (auto &w : workers) w.join();
    return std::to_string(std::min(next.load(), o.sessions)) + " sent: " + counts(by_status);
}

struct Conn {
    int fd = -1;
    bool ready = false;  // connected and its first bytes sent
    bool ended = false;
    size_t received = 0;
    std::string head;  // first bytes received
    Clock::time_point opened, closed;
};

// Connects every one of `conns` at once and sends `request` on each once connected, within `limit`.
void connect_all(std::vector<Conn> &conns, uint16_t port, const std::string &request, Ms limit) {
    const auto deadline = Clock::now() + limit;
    for (auto &c : conns) {
        c.opened = Clock::now();
        c.fd = start_connect(port);
        if (c.fd < 0) {
            c.ended = true;
            c.closed = c.opened;
        }
    }
    for (;;) {
        std::vector<pollfd> fds;
        std::vector<Conn *> owners;
        for (auto &c : conns)
            if (!c.ended && !c.ready) {
                fds.push_back({c.fd, POLLOUT, 0});
                owners.push_back(&c);
            }
        if (fds.empty() || Clock::now() >= deadline) break;
        if (::poll(fds.data(), fds.size(), std::min(100, remaining_ms(deadline))) <= 0) continue;
        for (size_t i = 0; i < fds.size(); ++i) {
            if (fds[i].revents == 0) continue;
            Conn &c = *owners[i];
            if (connected(c.fd) && send_all(c.fd, request, Clock::now() + 1s)) {
                c.ready = true;
            } else {
                ::close(c.fd);
                c.ended = true;
                c.closed = Clock::now();
            }
        }
    }
}

// Reads what arrived on every open connection (waiting at most `wait`).
void read_all(std::vector<Conn> &conns, Ms wait) {
    std::vector<pollfd> fds;
    std::vector<Conn *> owners;
    for (auto &c : conns)
        if (c.ready && !c.ended) {
            fds.push_back({c.fd, POLLIN, 0});
            owners.push_back(&c);
        }
    if (fds.empty() || ::poll(fds.data(), fds.size(), static_cast<int>(wait.count())) <= 0) return;
    char buf[16384];
    for (size_t i = 0; i < fds.size(); ++i) {
        if (fds[i].revents == 0) continue;
        Conn &c = *owners[i];
        for (;;) {
            const ssize_t n = ::recv(c.fd, buf, sizeof buf, MSG_DONTWAIT);
            if (n > 0) {
                if (c.head.size() < 64) c.head.append(buf, std::min<size_t>(static_cast<size_t>(n), 64 - c.head.size()));
                c.received += static_cast<size_t>(n);
                continue;
            }
            if (n < 0 && (errno == EAGAIN || errno == EINTR)) break;
            ::close(c.fd);
            c.ended = true;
            c.closed = Clock::now();
            break;
        }
    }
}

void close_all(std::vector<Conn> &conns) {
    for (auto &c : conns)
        if (!c.ended && c.fd >= 0) ::close(c.fd);
}

int status_of(const Conn &c) {
    return c.head.rfind("HTTP/1.", 0) == 0 && c.head.size() >= 12 ? std::atoi(c.head.c_str() + 9) : 0;
}

// D3: slow connections dripping a request head; after `flood_after` the flood runs while they
// stay open. Returns the outcomes of both.
std::pair<std::string, std::string> slow_and_flood(const Options &o, Monitor &monitor) {
    std::vector<Conn> slow(static_cast<size_t>(o.slow));
    connect_all(slow, o.port, "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\n", 10s);
    const auto started = Clock::now();
    const auto end = started + std::chrono::seconds(o.slow_seconds);
    const auto flood_at = started + std::chrono::seconds(o.slow_seconds * 2 / 3);
    static const std::string kDrip = "X-Slow: y\r\n";
    size_t step = 0;
    auto next_drip = started + Ms(o.slow_interval_ms);
    std::string flood_outcome = "not run";
    std::thread flood_thread;
    while (Clock::now() < end) {
        read_all(slow, 200ms);
        if (Clock::now() >= next_drip) {
            for (auto &c : slow)
                if (c.ready && !c.ended && ::send(c.fd, &kDrip[step % kDrip.size()], 1, MSG_NOSIGNAL | MSG_DONTWAIT) < 0 &&
                    errno != EAGAIN) {
                    ::close(c.fd);
                    c.ended = true;
                    c.closed = Clock::now();
                }
            ++step;
            next_drip += Ms(o.slow_interval_ms);
        }
        if (!flood_thread.joinable() && Clock::now() >= flood_at) {
            monitor.begin("D3: + " + std::to_string(o.flood) + "-connection flood (slow ones still open)");
            flood_thread = std::thread([&] {
                std::vector<Conn> flood(static_cast<size_t>(o.flood));
                connect_all(flood, o.port, kHealthz, 15s);
                const auto deadline = Clock::now() + 15s;
                while (Clock::now() < deadline &&
                       std::any_of(flood.begin(), flood.end(), [](const Conn &c) { return c.ready && !c.ended; }))
                    read_all(flood, 100ms);
                std::map<std::string, int> kinds;
                for (const auto &c : flood) {
                    if (!c.ready) ++kinds["connect failed"];
                    else if (status_of(c) != 0) ++kinds[std::to_string(status_of(c))];
                    else if (c.ended && c.received == 0) ++kinds["closed without bytes"];
                    else if (!c.ended) ++kinds["no answer in 15 s"];
                    else ++kinds["other bytes"];
                }
                close_all(flood);
                std::ostringstream out;
                bool first = true;
                for (const auto &[k, n] : kinds) {
                    out << (first ? "" : ", ") << k << ": " << n;
                    first = false;
                }
                flood_outcome = out.str();
            });
        }
    }
    if (flood_thread.joinable()) flood_thread.join();

    int never = 0, still_open = 0, cut = 0, answered = 0;
    std::vector<long> cut_after;
    for (const auto &c : slow) {
        if (!c.ready) {
            ++never;
        } else if (!c.ended) {
            ++still_open;
        } else {
            ++(c.received > 0 ? answered : cut);
            cut_after.push_back(std::chrono::duration_cast<Ms>(c.closed - c.opened).count());
        }
    }
    close_all(slow);
    std::sort(cut_after.begin(), cut_after.end());
    std::ostringstream out;
    out << o.slow << " opened: still open after " << o.slow_seconds << " s: " << still_open
        << ", closed with a response: " << answered << ", closed without bytes: " << cut
        << ", connect failed: " << never;
    if (!cut_after.empty())
        out << "; closed after median " << cut_after[cut_after.size() / 2] / 1000.0 << " s, max "
            << cut_after.back() / 1000.0 << " s";
    return {out.str(), flood_outcome};
}

std::string healthz_sessions(uint16_t port) {
    const int fd = start_connect(port);
    if (fd < 0) return "?";
    const auto deadline = Clock::now() + 3s;
    pollfd p{fd, POLLOUT, 0};
    std::string got;
    if (::poll(&p, 1, 3000) == 1 && connected(fd) && send_all(fd, kHealthz, deadline)) {
        char buf[4096];
        for (;;) {
            pollfd in{fd, POLLIN, 0};
            if (::poll(&in, 1, remaining_ms(deadline)) <= 0) break;
            const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
            if (n <= 0) break;
            got.append(buf, static_cast<size_t>(n));
        }
    }
    ::close(fd);
    const auto at = got.find("\"sessions\":");
    if (at == std::string::npos) return "?";
    return std::to_string(std::atol(got.c_str() + at + 11));
}

// ------------------------------------------------------------------------------------------

std::string fmt(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f", v);
    return buf;
}

void print_tables(const Options &o, const std::vector<Phase> &phases) {
    std::cout << "| phase | s | RSS MiB end / peak | threads end / peak | fds end / peak | /healthz 200 | "
                 "slowest 200 ms |\n|---|---:|---:|---:|---:|---:|---:|\n";
    for (const auto &p : phases) {
        const double secs = std::chrono::duration<double>(p.ended - p.started).count();
        std::cout << "| " << p.name << " | " << fmt(secs) << " | " << fmt(p.last.rss_mib) << " / "
                  << fmt(p.peak.rss_mib) << " | " << p.last.threads << " / " << p.peak.threads << " | " << p.last.fds
                  << " / " << p.peak.fds << " | " << p.probes_ok << " of " << p.probes << " | "
                  << (p.probes_ok > 0 ? std::to_string(p.probe_max_ms) : std::string("—")) << " |\n";
    }
    std::cout << "\n| attack | outcome |\n|---|---|\n";
    for (const auto &p : phases)
        if (!p.outcome.empty()) std::cout << "| " << p.name << " | " << p.outcome << " |\n";
    std::cout << "\n(" << o.big_ids << " x " << o.big_id_bytes << "-byte ids, " << o.sessions << " sessions, "
              << o.slow << " slow connections x 1 byte / " << o.slow_interval_ms << " ms for " << o.slow_seconds
              << " s, flood " << o.flood << ", idle " << o.idle_seconds << " s; RSS, threads and fds of the proxy "
              << "process from /proc, sampled every 200 ms; /healthz probed once a second from a new connection from 127.0.0.2, "
              << "2 s limit; a probe that got no 200 was refused, cut or timed out.)\n";
}

int to_int(const std::string &flag, const std::string &v) {
    size_t used = 0;
    int n = 0;
    try {
        n = std::stoi(v, &used);
    } catch (const std::exception &) {
        used = 0;
    }
    if (used != v.size() || n < 0) throw std::invalid_argument(flag + ": expected a non-negative integer");
    return n;
}

Options parse(int argc, char **argv) {
    Options o;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string flag = argv[i], v = argv[i + 1];
        if (flag == "--port") o.port = static_cast<uint16_t>(to_int(flag, v));
        else if (flag == "--pid") o.pid = to_int(flag, v);
        else if (flag == "--model") o.model = v;
        else if (flag == "--big-ids") o.big_ids = to_int(flag, v);
        else if (flag == "--big-id-bytes") o.big_id_bytes = static_cast<size_t>(to_int(flag, v));
        else if (flag == "--sessions") o.sessions = to_int(flag, v);
        else if (flag == "--slow") o.slow = to_int(flag, v);
        else if (flag == "--slow-interval-ms") o.slow_interval_ms = std::max(1, to_int(flag, v));
        else if (flag == "--slow-seconds") o.slow_seconds = to_int(flag, v);
        else if (flag == "--flood") o.flood = to_int(flag, v);
        else if (flag == "--idle-seconds") o.idle_seconds = to_int(flag, v);
        else throw std::invalid_argument("unknown flag " + flag);
    }
    if (o.port == 0 || o.pid <= 0) throw std::invalid_argument("--port and --pid are required");
    return o;
}

}  // namespace

int main(int argc, char **argv) {
    Options o;
    try {
        o = parse(argc, argv);
    } catch (const std::exception &e) {
        std::cerr << "hostile_soak: " << e.what()
                  << "\nusage: hostile_soak --port P --pid PID [--model ID] [--big-ids N] [--big-id-bytes B]\n"
                     "       [--sessions N] [--slow N] [--slow-interval-ms MS] [--slow-seconds S] [--flood N]\n"
                     "       [--idle-seconds S]\n";
        return 2;
    }
    std::vector<Phase> phases;
    {
        Monitor monitor(o);
        monitor.begin("before");
        std::this_thread::sleep_for(2s);
        monitor.begin("D1: " + std::to_string(o.big_ids) + " x " + std::to_string(o.big_id_bytes >> 10) +
                      " KiB metadata.session_id");
        monitor.outcome(big_session_ids(o));
        monitor.begin("D1: " + std::to_string(o.sessions) + " valid sessions");
        monitor.outcome(valid_sessions(o));
        monitor.begin("D3: " + std::to_string(o.slow) + " slow connections");
        const auto [slow, flood] = slow_and_flood(o, monitor);
        monitor.outcome(flood);
        monitor.begin("after " + std::to_string(o.idle_seconds) + " s idle");
        std::this_thread::sleep_for(std::chrono::seconds(o.idle_seconds));
        monitor.outcome("sessions in /healthz: " + healthz_sessions(o.port));
        phases = monitor.finish();
        for (auto &p : phases)
            if (p.name.rfind("D3: " + std::to_string(o.slow), 0) == 0) p.outcome = slow;
    }
    print_tables(o, phases);
    return 0;
}
