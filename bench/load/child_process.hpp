// ChildProcess: venice-sim or the proxy started by bench_load, its stdout and stderr written to a
// log file. Owns the pid: the destructor sends SIGTERM, waits at most 5 s, then SIGKILLs. Every
// wait is bounded.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <string>
#include <vector>

namespace vep::bench {

class ChildProcess {
  public:
    ChildProcess(const std::string &binary, const std::vector<std::string> &args, const std::string &log_path);
    ~ChildProcess();
    ChildProcess(const ChildProcess &) = delete;
    ChildProcess &operator=(const ChildProcess &) = delete;

    // The first log line containing `needle`; throws std::runtime_error (with the log) after `limit`
    // or when the process exits first.
    std::string wait_for_line(const std::string &needle, std::chrono::milliseconds limit);
    pid_t pid() const { return pid_; }

  private:
    pid_t pid_ = -1;
    std::string log_path_;
};

// The port of a "... listening on http://HOST:PORT..." line; throws std::runtime_error.
uint16_t port_of_listening_line(const std::string &line);

}  // namespace vep::bench
