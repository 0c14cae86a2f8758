// Hostile-client harness: venice-sim in-process plus the REAL proxy binary as a child process
// (its stdout and stderr drained continuously into memory, so a chatty log never blocks it),
// generated TOML with per-test overrides, raw POSIX sockets with deadlines, a raw HTTP response
// parser (status line, headers, Content-Length / chunked / close-delimited bodies) and the
// proxy's own /proc numbers (VmRSS, threads, open descriptors). Every wait is bounded.
#pragma once

#include <sys/types.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "vep/json.hpp"
#include "vep/sim/sim_server.hpp"

namespace vep::hostile {

using Clock = std::chrono::steady_clock;
using Ms = std::chrono::milliseconds;

inline constexpr const char *kModel = "e2ee-hermes-3-llama-3.1-405b-p";

// ---------------------------------------------------------------------------------------------
// Processes

// A binary run with arguments and extra environment variables; stdout and stderr go to one pipe
// that a thread reads to the end.
class ChildProcess {
  public:
    ChildProcess(const std::string &binary, const std::vector<std::string> &args,
                 const std::map<std::string, std::string> &extra_env = {});
    ~ChildProcess();  // SIGKILL when still running
    ChildProcess(const ChildProcess &) = delete;
    ChildProcess &operator=(const ChildProcess &) = delete;

    pid_t pid() const { return pid_; }
    // Everything written so far.
    std::string output() const;
    // The first output line containing `needle`, once it arrived within `limit`.
    std::optional<std::string> wait_for_line(const std::string &needle, Ms limit) const;
    void signal(int sig) const;
    // The exit status (signal N => 128 + N) once the process ended within `limit`.
    std::optional<int> wait_exit(Ms limit);

  private:
    bool running();  // reaps the process once it ended
    void drain(int fd);

    pid_t pid_ = -1;
    std::optional<int> exit_status_;
    std::thread reader_;
    mutable std::mutex mutex_;
    mutable std::condition_variable changed_;
    std::string output_;
    bool eof_ = false;
};

// Config overrides: "section.key" (section may be dotted, e.g. "session.headers") -> TOML literal
// such as `8`, `"2s"` or `["a"]`.
using Settings = std::map<std::string, std::string>;

// venice-sim in-process and the proxy binary on a generated config (base settings: 127.0.0.1,
// port 0, logging.level "info", the sim as upstream, the build's plugin directory), both on
// ephemeral ports. Throws std::runtime_error with the proxy's output when it does not start.
class HostileStack {
  public:
    explicit HostileStack(const Settings &overrides = {});
    ~HostileStack();
    HostileStack(const HostileStack &) = delete;
    HostileStack &operator=(const HostileStack &) = delete;

    uint16_t port() const { return port_; }
    ChildProcess &proxy() { return *proxy_; }
    pid_t proxy_pid() const { return proxy_->pid(); }
    // Chat requests venice-sim recorded.
    size_t sim_chat_requests() const;

  private:
    std::unique_ptr<vep::sim::SimServer> sim_;
    std::string config_path_;
    std::string config_text_;
    std::unique_ptr<ChildProcess> proxy_;
    uint16_t port_ = 0;
};

// ---------------------------------------------------------------------------------------------
// Raw sockets

enum class ReadEnd { Done, Eof, Reset, Timeout };
const char *to_string(ReadEnd end);

struct ReadResult {
    std::string bytes;
    ReadEnd end = ReadEnd::Timeout;
};

// A TCP connection to 127.0.0.1 as a plain descriptor (closed by the destructor).
class RawConn {
  public:
    RawConn() = default;
    // Connects within `limit`; valid() is false when that failed.
    RawConn(uint16_t port, Ms limit);
    ~RawConn();
    RawConn(RawConn &&other) noexcept;
    RawConn &operator=(RawConn &&other) noexcept;

    bool valid() const { return fd_ >= 0; }
    int fd() const { return fd_; }
    // Sends every byte before `limit` passes; false on an error or timeout.
    bool send_all(std::string_view data, Ms limit = Ms(5000));
    // One send() without waiting (MSG_DONTWAIT); false when the connection is broken.
    bool send_some(std::string_view data);
    void shutdown_write();
    // Reads until EOF, a reset, `deadline`, or `done(bytes so far)` holds.
    ReadResult read_until(Clock::time_point deadline,
                          const std::function<bool(const std::string &)> &done = {});
    // Reads what is available without waiting into `into`; returns how the connection stands:
    // Timeout (still open, maybe more later), Eof or Reset.
    ReadEnd read_available(std::string &into);
    void close();

  private:
    int fd_ = -1;
};

// One of many client connections watched at once: when it opened, when its first response byte
// arrived, when (and how) it ended, and everything it received.
struct Tracked {
    RawConn conn;
    Clock::time_point opened;
    std::optional<Clock::time_point> first_byte;
    std::optional<Clock::time_point> closed;
    ReadEnd end = ReadEnd::Timeout;  // Timeout: still open
    std::string received;

    bool open() const { return !closed; }
};

// Opens `n` connections (each within 3 s; a failed connect counts as closed with Reset at once)
// and sends `request` on each right after its connect when it is not empty.
std::vector<Tracked> open_many(uint16_t port, size_t n, std::string_view request = {});
// Reads from every open connection until `deadline` or until all of them ended.
void pump(std::vector<Tracked> &conns, Clock::time_point deadline);
// Records what arrived on `t` without waiting (first byte, end).
void poll_one(Tracked &t);

// ---------------------------------------------------------------------------------------------
// HTTP

struct RawResponse {
    bool head_complete = false;  // status line and headers up to the empty line arrived
    bool complete = false;       // and the body per its framing (close-delimited: EOF seen)
    std::string version;         // "HTTP/1.1"
    int status = 0;
    std::string reason;
    std::vector<std::pair<std::string, std::string>> headers;  // as sent
    bool chunked = false;
    bool has_content_length = false;
    std::string body;  // de-chunked
    std::string head;  // status line and headers, raw

    // First value of header `name` (case-insensitive), "" when absent.
    std::string header(std::string_view name) const;
    bool has(std::string_view name) const;
    // The X-Venice-Proxy-Error-Code header.
    std::string error_code() const { return header("X-Venice-Proxy-Error-Code"); }
    // The `data:` payloads of an SSE body, in order.
    std::vector<std::string> sse_data() const;
};

// Parses the first response in `raw`; `eof` says whether the connection ended after it.
RawResponse parse_response(std::string_view raw, bool eof);

// One raw request on a fresh connection: the response once complete, or what arrived before
// EOF / reset / `limit`.
struct Exchange {
    bool connected = false;
    std::string raw;
    ReadEnd end = ReadEnd::Timeout;
    RawResponse response;
    Ms elapsed{0};
};
Exchange exchange(uint16_t port, std::string_view request, Ms limit = Ms(10000));

// A request head plus body: `Content-Type: application/json` and `Content-Length` added when
// `body` is not empty, `Connection: close` for HTTP/1.1.
std::string http_request(const std::string &method, const std::string &target, const std::string &body = "",
                         const std::vector<std::string> &extra_header_lines = {},
                         const std::string &version = "HTTP/1.1");
// A chat body: model, one user message, stream flag, extra top-level members (raw JSON text).
std::string chat_json(const std::string &model, const std::string &user_text, bool stream,
                      const std::string &extra_members = "");
// `s` as a JSON string literal.
std::string json_string(std::string_view s);
// GET /healthz parsed, when a 200/503 JSON answer arrived within `limit`.
std::optional<vep::json::Value> healthz(uint16_t port, Ms limit = Ms(3000));

// ---------------------------------------------------------------------------------------------
// /proc

struct ProcStats {
    uint64_t rss_kib = 0;  // VmRSS
    size_t threads = 0;    // entries of /proc/<pid>/task
    size_t fds = 0;        // entries of /proc/<pid>/fd
};
ProcStats proc_stats(pid_t pid);

// Samples VmRSS of `pid` every 20 ms on a thread until stopped; keeps the peak.
class RssPeakSampler {
  public:
    explicit RssPeakSampler(pid_t pid);
    ~RssPeakSampler();
    uint64_t stop();  // peak VmRSS in KiB

  private:
    pid_t pid_;
    std::atomic<bool> stop_{false};
    std::atomic<uint64_t> peak_{0};
    std::thread thread_;
};

// Polls `condition` every 50 ms until it holds or `limit` passes; whether it held.
bool eventually(Ms limit, const std::function<bool()> &condition);

}  // namespace vep::hostile
