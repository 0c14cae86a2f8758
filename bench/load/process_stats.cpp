// See process_stats.hpp.
#include "process_stats.hpp"

#include <unistd.h>

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

namespace vep::bench {

ProcessSample sample_process(pid_t pid) {
    ProcessSample s;
    const std::string base = "/proc/" + std::to_string(pid);
    std::ifstream stat(base + "/stat");
    std::string text;
    if (!std::getline(stat, text)) throw std::runtime_error("cannot read " + base + "/stat");
    // Fields after the command name (which may hold spaces) start at field 3 (state).
    std::istringstream fields(text.substr(text.rfind(')') + 2));
    std::string field;
    unsigned long long utime = 0, stime = 0;
    for (int index = 3; fields >> field; ++index) {
        if (index == 14) utime = std::stoull(field);
        if (index == 15) {
            stime = std::stoull(field);
            break;
        }
    }
    const auto ticks_per_second = static_cast<double>(sysconf(_SC_CLK_TCK));
    s.cpu_seconds = static_cast<double>(utime + stime) / ticks_per_second;
    s.system_seconds = static_cast<double>(stime) / ticks_per_second;
    std::ifstream status(base + "/status");
    for (std::string line; std::getline(status, line);) {
        auto value = [&](const char *key) { return std::stoull(line.substr(std::string(key).size())); };
        if (line.rfind("VmRSS:", 0) == 0) s.rss_kib = value("VmRSS:");
        else if (line.rfind("VmHWM:", 0) == 0) s.hwm_kib = value("VmHWM:");
    }
    return s;
}

}  // namespace vep::bench
