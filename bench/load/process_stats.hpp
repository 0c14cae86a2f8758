// Readings of another process from /proc: CPU seconds used (utime + stime of /proc/<pid>/stat)
// and resident memory (VmRSS, VmHWM of /proc/<pid>/status). Used by bench_load around each phase.
#pragma once

#include <sys/types.h>

#include <cstdint>

namespace vep::bench {

struct ProcessSample {
    double cpu_seconds = 0;     // user + system, whole process, since it started
    // The system (kernel) part of cpu_seconds. Linux splits the exact total between user and
    // system by timer-tick samples (CONFIG_TICK_CPU_ACCOUNTING): an estimate, good over seconds.
    double system_seconds = 0;
    uint64_t rss_kib = 0;    // VmRSS
    uint64_t hwm_kib = 0;    // VmHWM (peak RSS)
};

// Throws std::runtime_error when the process is gone.
ProcessSample sample_process(pid_t pid);

}  // namespace vep::bench
