// See hostile_harness.hpp.
#include "hostile_harness.hpp"

#include <arpa/inet.h>
#include <dirent.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace vep::hostile {
namespace {

int remaining_ms(Clock::time_point deadline) {
    const auto left = std::chrono::duration_cast<Ms>(deadline - Clock::now()).count();
    return left <= 0 ? 0 : static_cast<int>(left);
}

std::string lower(std::string_view s) {
    std::string out(s);
    for (auto &c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

std::string trim(std::string_view s) {
    size_t b = 0, e = s.size();
    while (b < e && (s[b] == ' ' || s[b] == '\t')) ++b;
    while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t')) --e;
    return std::string(s.substr(b, e - b));
}

size_t count_entries(const std::string &dir) {
    DIR *d = ::opendir(dir.c_str());
    if (d == nullptr) return 0;
    size_t n = 0;
    while (const dirent *e = ::readdir(d))
        if (std::strcmp(e->d_name, ".") != 0 && std::strcmp(e->d_name, "..") != 0) ++n;
    ::closedir(d);
    return n;
}

// Decodes a chunked body from `in`; whether the terminating chunk (and trailer) arrived.
bool dechunk(std::string_view in, std::string &out) {
    size_t pos = 0;
    for (;;) {
        const size_t eol = in.find("\r\n", pos);
        if (eol == std::string_view::npos) return false;
        std::string_view size_text = in.substr(pos, eol - pos);
        if (const auto semi = size_text.find(';'); semi != std::string_view::npos) size_text = size_text.substr(0, semi);
        size_t size = 0;
        if (size_text.empty()) return false;
        for (char c : size_text) {
            if (!std::isxdigit(static_cast<unsigned char>(c))) return false;
            size = size * 16 + static_cast<size_t>(std::isdigit(static_cast<unsigned char>(c))
                                                       ? c - '0'
                                                       : std::tolower(static_cast<unsigned char>(c)) - 'a' + 10);
        }
        pos = eol + 2;
        if (size == 0) return in.find("\r\n", pos) != std::string_view::npos;  // (empty) trailer
        if (in.size() < pos + size + 2) {
            out.append(in.substr(pos, std::min(size, in.size() - pos)));
            return false;
        }
        out.append(in.substr(pos, size));
        pos += size + 2;
    }
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// ChildProcess

ChildProcess::ChildProcess(const std::string &binary, const std::vector<std::string> &args,
                           const std::map<std::string, std::string> &extra_env) {
    int out[2];
    if (::pipe2(out, O_CLOEXEC) != 0) throw std::runtime_error("pipe2 failed");
    // Built before fork(): the child of a threaded process only calls exec-safe functions.
    std::vector<char *> argv{const_cast<char *>(binary.c_str())};
    for (const auto &a : args) argv.push_back(const_cast<char *>(a.c_str()));
    argv.push_back(nullptr);
    std::vector<std::string> env_text;
    for (char **e = environ; *e != nullptr; ++e) {
        const std::string entry(*e);
        if (extra_env.count(entry.substr(0, entry.find('='))) == 0) env_text.push_back(entry);
    }
    for (const auto &[key, value] : extra_env) env_text.push_back(key + "=" + value);
    std::vector<char *> envp;
    for (auto &e : env_text) envp.push_back(e.data());
    envp.push_back(nullptr);
    pid_ = ::fork();
    if (pid_ < 0) throw std::runtime_error("fork failed");
    if (pid_ == 0) {
        ::dup2(out[1], STDOUT_FILENO);
        ::dup2(out[1], STDERR_FILENO);
        sigset_t none;
        sigemptyset(&none);
        ::sigprocmask(SIG_SETMASK, &none, nullptr);
        ::execve(binary.c_str(), argv.data(), envp.data());
        ::_exit(127);
    }
    ::close(out[1]);
    reader_ = std::thread([this, fd = out[0]] { drain(fd); });
}

ChildProcess::~ChildProcess() {
    if (running()) {
        ::kill(pid_, SIGKILL);
        int status = 0;
        ::waitpid(pid_, &status, 0);
    }
    if (reader_.joinable()) reader_.join();
}

void ChildProcess::drain(int fd) {
    char buf[65536];
    for (;;) {
        const ssize_t n = ::read(fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        std::lock_guard<std::mutex> lock(mutex_);
        if (n <= 0) {
            eof_ = true;
            changed_.notify_all();
            break;
        }
        output_.append(buf, static_cast<size_t>(n));
        changed_.notify_all();
    }
    ::close(fd);
}

std::string ChildProcess::output() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return output_;
}

std::optional<std::string> ChildProcess::wait_for_line(const std::string &needle, Ms limit) const {
    std::unique_lock<std::mutex> lock(mutex_);
    std::optional<std::string> found;
    changed_.wait_for(lock, limit, [&] {
        size_t start = 0;
        for (size_t nl; (nl = output_.find('\n', start)) != std::string::npos; start = nl + 1) {
            std::string line = output_.substr(start, nl - start);
            if (line.find(needle) != std::string::npos) {
                found = std::move(line);
                return true;
            }
        }
        return eof_;
    });
    return found;
}

void ChildProcess::signal(int sig) const { ::kill(pid_, sig); }

bool ChildProcess::running() {
    if (exit_status_) return false;
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        exit_status_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        return false;
    }
    return true;
}

std::optional<int> ChildProcess::wait_exit(Ms limit) {
    const auto deadline = Clock::now() + limit;
    while (running()) {
        if (Clock::now() >= deadline) return std::nullopt;
        std::this_thread::sleep_for(Ms(20));
    }
    return exit_status_;
}

// ---------------------------------------------------------------------------------------------
// HostileStack

HostileStack::HostileStack(const Settings &overrides) {
    vep::sim::SimOptions options;
    options.plugin_dir = VEP_PLUGIN_DIR;
    sim_ = std::make_unique<vep::sim::SimServer>(options);
    sim_->start();

    Settings settings{
        {"server.host", "\"127.0.0.1\""},
        {"server.port", "0"},
        {"server.shutdown_grace", "\"2s\""},
        {"logging.level", "\"info\""},
        {"venice.base_url", json_string(sim_->base_url())},
        {"venice.api_key", "\"sim-key\""},
        {"venice.request_timeout", "\"10s\""},
        {"plugins.directories", "[" + json_string(VEP_PLUGIN_DIR) + "]"},
    };
    for (const auto &[key, value] : overrides) settings[key] = value;
    std::map<std::string, std::vector<std::string>> sections;
    for (const auto &[key, value] : settings) {
        const auto dot = key.rfind('.');
        sections[key.substr(0, dot)].push_back(key.substr(dot + 1) + " = " + value);
    }
    for (const auto &[section, lines] : sections) {
        config_text_ += "[" + section + "]\n";
        for (const auto &line : lines) config_text_ += line + "\n";
    }

    static std::atomic<int> counter{0};
    config_path_ = (std::filesystem::temp_directory_path() /
                    ("vep-hostile-" + std::to_string(::getpid()) + "-" + std::to_string(counter++) + ".toml"))
                       .string();
    std::ofstream(config_path_) << config_text_;

    // In an ASan build the allocator's quarantine (256 MiB by default) keeps freed memory resident,
    // which would read as RSS growth; a small one still catches use-after-free nearby.
    const char *asan = std::getenv("ASAN_OPTIONS");
    const std::string asan_options = std::string(asan != nullptr && *asan != '\0' ? std::string(asan) + ":" : "") +
                                     "quarantine_size_mb=8";
    proxy_ = std::make_unique<ChildProcess>(std::string(VEP_BIN_DIR) + "/venice-e2ee-proxy",
                                            std::vector<std::string>{config_path_},
                                            std::map<std::string, std::string>{{"ASAN_OPTIONS", asan_options}});
    const auto line = proxy_->wait_for_line("listening on http://", Ms(30000));
    if (!line) {
        proxy_->wait_exit(Ms(2000));
        throw std::runtime_error("the proxy did not start.\n--- config ---\n" + config_text_ + "--- output ---\n" +
                                 proxy_->output());
    }
    port_ = static_cast<uint16_t>(std::stoi(line->substr(line->rfind(':') + 1)));
}

HostileStack::~HostileStack() {
    proxy_.reset();
    sim_->stop();
    std::error_code ignored;
    std::filesystem::remove(config_path_, ignored);
}

size_t HostileStack::sim_chat_requests() const {
    size_t n = 0;
    for (const auto &rec : sim_->requests())
        if (rec.path.find("chat/completions") != std::string::npos) ++n;
    return n;
}

// ---------------------------------------------------------------------------------------------
// RawConn

const char *to_string(ReadEnd end) {
    switch (end) {
    case ReadEnd::Done: return "done";
    case ReadEnd::Eof: return "EOF";
    case ReadEnd::Reset: return "reset";
    case ReadEnd::Timeout: return "timeout";
    }
    return "?";
}

RawConn::RawConn(uint16_t port, Ms limit) {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0) return;
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<sockaddr *>(&addr), sizeof addr) != 0) {
        if (errno != EINPROGRESS) {
            ::close(fd);
            return;
        }
        pollfd p{fd, POLLOUT, 0};
        int err = 0;
        socklen_t len = sizeof err;
        if (::poll(&p, 1, static_cast<int>(limit.count())) != 1 ||
            ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0 || err != 0) {
            ::close(fd);
            return;
        }
    }
    const int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    fd_ = fd;
}

RawConn::~RawConn() { close(); }

RawConn::RawConn(RawConn &&other) noexcept : fd_(other.fd_) { other.fd_ = -1; }

RawConn &RawConn::operator=(RawConn &&other) noexcept {
    if (this != &other) {
        close();
        fd_ = other.fd_;
        other.fd_ = -1;
    }
    return *this;
}

void RawConn::close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
}

bool RawConn::send_all(std::string_view data, Ms limit) {
    const auto deadline = Clock::now() + limit;
    size_t sent = 0;
    while (sent < data.size()) {
        const ssize_t n = ::send(fd_, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
        if (n > 0) {
            sent += static_cast<size_t>(n);
            continue;
        }
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            pollfd p{fd_, POLLOUT, 0};
            if (::poll(&p, 1, remaining_ms(deadline)) <= 0) return false;
            continue;
        }
        return false;
    }
    return true;
}

bool RawConn::send_some(std::string_view data) {
    const ssize_t n = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
    return n >= 0 || errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR;
}

void RawConn::shutdown_write() { ::shutdown(fd_, SHUT_WR); }

ReadResult RawConn::read_until(Clock::time_point deadline, const std::function<bool(const std::string &)> &done) {
    ReadResult r;
    char buf[65536];
    for (;;) {
        if (done && done(r.bytes)) {
            r.end = ReadEnd::Done;
            return r;
        }
        const ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
        if (n > 0) {
            r.bytes.append(buf, static_cast<size_t>(n));
            continue;
        }
        if (n == 0) {
            r.end = ReadEnd::Eof;
            return r;
        }
        if (errno == EINTR) continue;
        if (errno != EAGAIN && errno != EWOULDBLOCK) {
            r.end = ReadEnd::Reset;
            return r;
        }
        pollfd p{fd_, POLLIN, 0};
        if (::poll(&p, 1, remaining_ms(deadline)) <= 0) {
            r.end = ReadEnd::Timeout;
            return r;
        }
    }
}

ReadEnd RawConn::read_available(std::string &into) {
    char buf[65536];
    for (;;) {
        const ssize_t n = ::recv(fd_, buf, sizeof buf, MSG_DONTWAIT);
        if (n > 0) {
            into.append(buf, static_cast<size_t>(n));
            continue;
        }
        if (n == 0) return ReadEnd::Eof;
        if (errno == EINTR) continue;
        return errno == EAGAIN || errno == EWOULDBLOCK ? ReadEnd::Timeout : ReadEnd::Reset;
    }
}

std::vector<Tracked> open_many(uint16_t port, size_t n, std::string_view request) {
    std::vector<Tracked> conns(n);
    for (auto &t : conns) {
        t.opened = Clock::now();
        t.conn = RawConn(port, Ms(3000));
        if (!t.conn.valid() || (!request.empty() && !t.conn.send_all(request, Ms(3000)))) {
            t.closed = Clock::now();
            t.end = ReadEnd::Reset;
        }
    }
    return conns;
}

void poll_one(Tracked &t) {
    if (!t.open()) return;
    const size_t had = t.received.size();
    const ReadEnd end = t.conn.read_available(t.received);
    const auto now = Clock::now();
    if (had == 0 && !t.received.empty()) t.first_byte = now;
    if (end != ReadEnd::Timeout) {
        t.closed = now;
        t.end = end;
        t.conn.close();
    }
}

void pump(std::vector<Tracked> &conns, Clock::time_point deadline) {
    for (;;) {
        std::vector<pollfd> fds;
        std::vector<Tracked *> owners;
        for (auto &t : conns) {
            if (!t.open()) continue;
            fds.push_back(pollfd{t.conn.fd(), POLLIN, 0});
            owners.push_back(&t);
        }
        if (fds.empty() || Clock::now() >= deadline) return;
        if (::poll(fds.data(), fds.size(), std::min(50, remaining_ms(deadline))) <= 0) continue;
        for (size_t i = 0; i < fds.size(); ++i)
            if (fds[i].revents != 0) poll_one(*owners[i]);
    }
}

// ---------------------------------------------------------------------------------------------
// HTTP

std::string RawResponse::header(std::string_view name) const {
    const std::string want = lower(name);
    for (const auto &h : headers)
        if (lower(h.first) == want) return h.second;
    return "";
}

bool RawResponse::has(std::string_view name) const {
    const std::string want = lower(name);
    for (const auto &h : headers)
        if (lower(h.first) == want) return true;
    return false;
}

std::vector<std::string> RawResponse::sse_data() const {
    std::vector<std::string> out;
    std::istringstream lines(body);
    for (std::string line; std::getline(lines, line);) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.rfind("data: ", 0) == 0) out.push_back(line.substr(6));
    }
    return out;
}

RawResponse parse_response(std::string_view raw, bool eof) {
    RawResponse r;
    const size_t head_end = raw.find("\r\n\r\n");
    if (head_end == std::string_view::npos) return r;
    r.head_complete = true;
    r.head = std::string(raw.substr(0, head_end + 4));
    size_t line_end = raw.find("\r\n");
    const std::string_view status_line = raw.substr(0, line_end);
    const size_t sp1 = status_line.find(' ');
    r.version = std::string(status_line.substr(0, sp1));
    if (sp1 != std::string_view::npos) {
        const std::string_view rest = status_line.substr(sp1 + 1);
        const size_t sp2 = rest.find(' ');
        try {
            r.status = std::stoi(std::string(rest.substr(0, sp2)));
        } catch (const std::exception &) {
            r.status = 0;
        }
        if (sp2 != std::string_view::npos) r.reason = std::string(rest.substr(sp2 + 1));
    }
    for (size_t pos = line_end + 2; pos < head_end + 2; pos = line_end + 2) {
        line_end = raw.find("\r\n", pos);
        const std::string_view line = raw.substr(pos, line_end - pos);
        const size_t colon = line.find(':');
        if (colon == std::string_view::npos) continue;
        r.headers.emplace_back(std::string(line.substr(0, colon)), trim(line.substr(colon + 1)));
    }
    const std::string_view rest = raw.substr(head_end + 4);
    r.chunked = lower(r.header("Transfer-Encoding")).find("chunked") != std::string::npos;
    r.has_content_length = r.has("Content-Length");
    if (r.chunked) {
        r.complete = dechunk(rest, r.body);
    } else if (r.has_content_length) {
        size_t length = 0;
        try {
            length = static_cast<size_t>(std::stoull(r.header("Content-Length")));
        } catch (const std::exception &) {
            length = 0;
        }
        r.body = std::string(rest.substr(0, std::min(length, rest.size())));
        r.complete = rest.size() >= length;
    } else if (r.status == 204 || r.status == 304 || (r.status >= 100 && r.status < 200)) {
        r.complete = true;
    } else {
        r.body = std::string(rest);
        r.complete = eof;
    }
    return r;
}

Exchange exchange(uint16_t port, std::string_view request, Ms limit) {
    Exchange x;
    const auto started = Clock::now();
    const auto deadline = started + limit;
    RawConn conn(port, limit);
    x.connected = conn.valid();
    if (!x.connected) return x;
    if (conn.send_all(request, limit)) {
        auto r = conn.read_until(deadline, [](const std::string &bytes) { return parse_response(bytes, false).complete; });
        x.raw = std::move(r.bytes);
        x.end = r.end;
    } else {
        // The server may have answered and closed before reading everything: read that answer.
        auto r = conn.read_until(std::min(deadline, Clock::now() + Ms(1000)));
        x.raw = std::move(r.bytes);
        x.end = r.end == ReadEnd::Timeout ? ReadEnd::Reset : r.end;
    }
    x.response = parse_response(x.raw, x.end == ReadEnd::Eof || x.end == ReadEnd::Reset);
    x.elapsed = std::chrono::duration_cast<Ms>(Clock::now() - started);
    return x;
}

std::string http_request(const std::string &method, const std::string &target, const std::string &body,
                         const std::vector<std::string> &extra_header_lines, const std::string &version) {
    std::string out = method + " " + target + " " + version + "\r\nHost: 127.0.0.1\r\n";
    if (!body.empty())
        out += "Content-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) + "\r\n";
    if (version == "HTTP/1.1") out += "Connection: close\r\n";
    for (const auto &line : extra_header_lines) out += line + "\r\n";
    out += "\r\n";
    out += body;
    return out;
}

std::string json_string(std::string_view s) {
    std::string out;
    vep::json::write_string(out, s);
    return out;
}

std::string chat_json(const std::string &model, const std::string &user_text, bool stream,
                      const std::string &extra_members) {
    std::string body = "{\"model\":" + json_string(model) + ",\"messages\":[{\"role\":\"user\",\"content\":" +
                       json_string(user_text) + "}],\"stream\":" + (stream ? "true" : "false");
    if (!extra_members.empty()) body += "," + extra_members;
    return body + "}";
}

std::optional<vep::json::Value> healthz(uint16_t port, Ms limit) {
    const auto x = exchange(port, http_request("GET", "/healthz"), limit);
    if (!x.response.complete || (x.response.status != 200 && x.response.status != 503)) return std::nullopt;
    try {
        return vep::json::parse(x.response.body);
    } catch (const std::exception &) {
        return std::nullopt;
    }
}

// ---------------------------------------------------------------------------------------------
// /proc

ProcStats proc_stats(pid_t pid) {
    ProcStats s;
    const std::string base = "/proc/" + std::to_string(pid);
    std::ifstream status(base + "/status");
    for (std::string line; std::getline(status, line);)
        if (line.rfind("VmRSS:", 0) == 0) s.rss_kib = std::stoull(line.substr(6));
    s.threads = count_entries(base + "/task");
    s.fds = count_entries(base + "/fd");
    return s;
}

RssPeakSampler::RssPeakSampler(pid_t pid) : pid_(pid) {
    peak_ = proc_stats(pid_).rss_kib;
    thread_ = std::thread([this] {
        while (!stop_.load()) {
            const uint64_t rss = proc_stats(pid_).rss_kib;
            if (rss > peak_.load()) peak_ = rss;
            std::this_thread::sleep_for(Ms(20));
        }
    });
}

RssPeakSampler::~RssPeakSampler() { stop(); }

uint64_t RssPeakSampler::stop() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
    return peak_.load();
}

bool eventually(Ms limit, const std::function<bool()> &condition) {
    const auto deadline = Clock::now() + limit;
    for (;;) {
        if (condition()) return true;
        if (Clock::now() >= deadline) return false;
        std::this_thread::sleep_for(Ms(50));
    }
}

}  // namespace vep::hostile
