// ChildProcess: a binary started with arguments and extra environment, its stdout captured
// line by line, stopped by signal; every wait is bounded. Used by the process-level tests.
#pragma once

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace vep::test {

class ChildProcess {
  public:
    ChildProcess(const std::string &binary, const std::vector<std::string> &args,
                 const std::map<std::string, std::string> &env = {}) {
        int out[2];
        if (pipe(out) != 0) throw std::runtime_error("pipe failed");
        pid_ = fork();
        if (pid_ == 0) {
            dup2(out[1], STDOUT_FILENO);
            dup2(out[1], STDERR_FILENO);
            close(out[0]);
            close(out[1]);
            for (const auto &e : env) setenv(e.first.c_str(), e.second.c_str(), 1);
            std::vector<char *> argv{const_cast<char *>(binary.c_str())};
            for (const auto &a : args) argv.push_back(const_cast<char *>(a.c_str()));
            argv.push_back(nullptr);
            sigset_t none;
            sigemptyset(&none);
            sigprocmask(SIG_SETMASK, &none, nullptr);
            execv(binary.c_str(), argv.data());
            _exit(127);
        }
        close(out[1]);
        fd_ = out[0];
    }
    ~ChildProcess() {
        if (pid_ > 0 && !exit_status_) {
            kill(pid_, SIGKILL);
            waitpid(pid_, nullptr, 0);
        }
        if (fd_ >= 0) close(fd_);
    }
    ChildProcess(const ChildProcess &) = delete;
    ChildProcess &operator=(const ChildProcess &) = delete;

    // Reads output until a line containing `needle` arrives (returns it) or `timeout` passes.
    std::optional<std::string> wait_for_line(const std::string &needle, std::chrono::milliseconds timeout) {
        const auto deadline = std::chrono::steady_clock::now() + timeout;
        for (;;) {
            size_t nl;
            while ((nl = pending_.find('\n')) != std::string::npos) {
                std::string line = pending_.substr(0, nl);
                pending_.erase(0, nl + 1);
                output_ += line + "\n";
                if (line.find(needle) != std::string::npos) return line;
            }
            const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
            if (left.count() <= 0) return std::nullopt;
            fd_set set;
            FD_ZERO(&set);
            FD_SET(fd_, &set);
            timeval tv{static_cast<time_t>(left.count() / 1000), static_cast<suseconds_t>((left.count() % 1000) * 1000)};
            if (select(fd_ + 1, &set, nullptr, nullptr, &tv) <= 0) return std::nullopt;
            char buf[4096];
            const ssize_t n = read(fd_, buf, sizeof buf);
            if (n <= 0) return std::nullopt;
            pending_.append(buf, static_cast<size_t>(n));
        }
    }
    void signal(int sig) { kill(pid_, sig); }
    // The exit status once the process ended within `timeout`.
    std::optional<int> wait_exit(std::chrono::milliseconds timeout) {
        const auto deadline = std::chrono::steady_clock::now() + timeout;
        while (std::chrono::steady_clock::now() < deadline) {
            int status = 0;
            if (waitpid(pid_, &status, WNOHANG) == pid_) {
                exit_status_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
                return exit_status_;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
        return std::nullopt;
    }
    // Everything read so far.
    const std::string &output() const { return output_; }
    pid_t pid() const { return pid_; }

  private:
    pid_t pid_ = -1;
    int fd_ = -1;
    std::string pending_;
    std::string output_;
    std::optional<int> exit_status_;
};

}  // namespace vep::test
