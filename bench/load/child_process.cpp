// See child_process.hpp.
#include "child_process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace vep::bench {

ChildProcess::ChildProcess(const std::string &binary, const std::vector<std::string> &args, const std::string &log_path)
    : log_path_(log_path) {
    const int log = open(log_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (log < 0) throw std::runtime_error("cannot create " + log_path);
    pid_ = fork();
    if (pid_ < 0) {
        close(log);
        throw std::runtime_error("fork failed");
    }
    if (pid_ == 0) {
        dup2(log, STDOUT_FILENO);
        dup2(log, STDERR_FILENO);
        std::vector<char *> argv{const_cast<char *>(binary.c_str())};
        for (const auto &a : args) argv.push_back(const_cast<char *>(a.c_str()));
        argv.push_back(nullptr);
        execv(binary.c_str(), argv.data());
        _exit(127);
    }
    close(log);
}

ChildProcess::~ChildProcess() {
    if (pid_ <= 0) return;
    kill(pid_, SIGTERM);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (std::chrono::steady_clock::now() < deadline) {
        if (waitpid(pid_, nullptr, WNOHANG) == pid_) return;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
}

std::string ChildProcess::wait_for_line(const std::string &needle, std::chrono::milliseconds limit) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    std::string text;
    for (;;) {
        std::ifstream in(log_path_);
        std::stringstream all;
        all << in.rdbuf();
        text = all.str();
        std::istringstream lines(text);
        for (std::string line; std::getline(lines, line);)
            if (line.find(needle) != std::string::npos) return line;
        if (waitpid(pid_, nullptr, WNOHANG) == pid_) {
            const pid_t gone = pid_;
            pid_ = -1;
            throw std::runtime_error("process " + std::to_string(gone) + " exited before \"" + needle + "\":\n" + text);
        }
        if (std::chrono::steady_clock::now() >= deadline)
            throw std::runtime_error("no \"" + needle + "\" within " + std::to_string(limit.count()) + " ms:\n" + text);
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
}

uint16_t port_of_listening_line(const std::string &line) {
    const size_t scheme = line.find("://");
    if (scheme == std::string::npos) throw std::runtime_error("no URL in \"" + line + "\"");
    const size_t colon = line.find(':', scheme + 3);
    if (colon == std::string::npos) throw std::runtime_error("no port in \"" + line + "\"");
    const long port = std::strtol(line.c_str() + colon + 1, nullptr, 10);
    if (port <= 0 || port > 65535) throw std::runtime_error("bad port in \"" + line + "\"");
    return static_cast<uint16_t>(port);
}

}  // namespace vep::bench
