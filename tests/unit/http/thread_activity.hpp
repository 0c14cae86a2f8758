// What the http unit tests read about this process's threads from /proc: which threads exist, and
// how often one gave up the CPU voluntarily (a thread that sleeps until something is due adds
// none while nothing happens). Used by the ConnectionWatch and ConnectionAcceptor tests.
#pragma once

#include <filesystem>
#include <fstream>
#include <set>
#include <string>

namespace vep::host::test {

inline std::set<long> thread_ids() {
    std::set<long> ids;
    for (const auto &entry : std::filesystem::directory_iterator("/proc/self/task"))
        ids.insert(std::stol(entry.path().filename().string()));
    return ids;
}

// voluntary_ctxt_switches of thread `tid`; -1 when it has ended.
inline long voluntary_switches(long tid) {
    std::ifstream status("/proc/self/task/" + std::to_string(tid) + "/status");
    for (std::string line; std::getline(status, line);)
        if (line.rfind("voluntary_ctxt_switches:", 0) == 0) return std::stol(line.substr(24));
    return -1;
}

}  // namespace vep::host::test
