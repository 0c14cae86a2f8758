// PhaseSummary: one measured phase of bench_load reduced to the reported numbers (streams,
// failures, TTFT and inter-chunk percentiles, CPU and RSS of the measured process), and the
// printing of the comparison table and ratios. Used by load_main.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "process_stats.hpp"
#include "stream_driver.hpp"

namespace vep::bench {

struct PhaseSummary {
    std::string name;  // "direct (venice-sim)" or "proxy"
    size_t streams = 0, completed = 0, failed = 0;
    std::map<std::string, size_t> failures;  // reason -> count
    double ttft_p50_ms = 0, ttft_p99_ms = 0, gap_p50_ms = 0, gap_p99_ms = 0;
    uint64_t chunks = 0;
    double wall_seconds = 0;
    size_t peak_open = 0;
    // The measured process: venice-sim for the direct phase, the proxy for the proxy phase.
    double cpu_seconds = 0;
    double system_seconds = 0;  // the kernel's part of cpu_seconds
    uint64_t rss_idle_kib = 0, rss_max_kib = 0, hwm_kib = 0;
    // The largest RSS sampled while the most streams were open, and that number of streams.
    uint64_t rss_at_peak_open_kib = 0;
    size_t sampled_peak_open = 0;
    double cpu_us_per_chunk() const { return chunks ? cpu_seconds * 1e6 / static_cast<double>(chunks) : 0; }
    double rss_kib_per_stream() const {
        return sampled_peak_open && rss_at_peak_open_kib > rss_idle_kib
                   ? static_cast<double>(rss_at_peak_open_kib - rss_idle_kib) / static_cast<double>(sampled_peak_open)
                   : 0;
    }
};

// p in [0, 100]; 0 for an empty set.
double percentile(std::vector<double> values, double p);

// Fills the stream statistics of `summary` from `result`.
void summarise_streams(const PhaseResult &result, PhaseSummary &summary);

// RSS over time during a soak.
struct RssPoint {
    double seconds = 0;
    uint64_t rss_kib = 0;
    size_t open = 0;
};

// The proxy's upstream connection counters (its /metrics) over the measured phase, after the warm-up.
struct UpstreamConnections {
    double opened = 0;   // TCP connects (each with a TLS handshake over https)
    double resumed = 0;  // of those, TLS handshakes that resumed a session
    double reused = 0;   // requests sent on a pooled connection
    double dropped = 0;  // pooled connections found closed or expired, or failed when sending
    size_t requests = 0; // streams of the phase (one chat request each)
};

struct RunFacts {
    std::string label;
    std::string command;
    double ecdh_us = 0;
    double relay_floor_us = 0;  // 0 when not measured
    double relay_floor_system_us = 0;  // of which the kernel's
    std::string load_before, load_after;  // /proc/loadavg
    std::optional<UpstreamConnections> upstream;  // proxy phase only
    std::string upstream_scheme = "http";
};

// Prints the markdown tables: per-phase numbers, then the ratios (added TTFT and gaps when both
// phases ran, CPU per chunk against the ECDH floor, RSS per open stream), then the soak series.
void print_report(const RunFacts &facts, const std::vector<PhaseSummary> &phases, const std::vector<RssPoint> &soak);

}  // namespace vep::bench
