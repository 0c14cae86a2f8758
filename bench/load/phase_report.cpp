// See phase_report.hpp.
#include "phase_report.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace vep::bench {
namespace {

double mib(uint64_t kib) { return static_cast<double>(kib) / 1024.0; }

// Least-squares slope of RSS over time, KiB per minute.
double rss_slope_kib_per_minute(const std::vector<RssPoint> &points) {
    if (points.size() < 2) return 0;
    double sx = 0, sy = 0, sxx = 0, sxy = 0;
    for (const auto &p : points) {
        sx += p.seconds;
        sy += static_cast<double>(p.rss_kib);
        sxx += p.seconds * p.seconds;
        sxy += p.seconds * static_cast<double>(p.rss_kib);
    }
    const double n = static_cast<double>(points.size());
    const double denominator = n * sxx - sx * sx;
    return denominator == 0 ? 0 : (n * sxy - sx * sy) / denominator * 60.0;
}

}  // namespace

double percentile(std::vector<double> values, double p) {
    if (values.empty()) return 0;
    std::sort(values.begin(), values.end());
    const double rank = p / 100.0 * static_cast<double>(values.size() - 1);
    const size_t low = static_cast<size_t>(std::floor(rank));
    const size_t high = std::min(values.size() - 1, low + 1);
    return values[low] + (values[high] - values[low]) * (rank - static_cast<double>(low));
}

void summarise_streams(const PhaseResult &result, PhaseSummary &summary) {
    std::vector<double> ttft, gaps;
    summary.streams = result.streams.size();
    for (const auto &s : result.streams) {
        summary.chunks += s.content_chunks;
        if (s.ok) {
            ++summary.completed;
            ttft.push_back(s.ttft_ms);
            gaps.insert(gaps.end(), s.gaps_ms.begin(), s.gaps_ms.end());
        } else {
            ++summary.failed;
            ++summary.failures[s.failure];
        }
    }
    summary.ttft_p50_ms = percentile(ttft, 50);
    summary.ttft_p99_ms = percentile(ttft, 99);
    summary.gap_p50_ms = percentile(gaps, 50);
    summary.gap_p99_ms = percentile(gaps, 99);
    summary.wall_seconds = result.wall_seconds;
    summary.peak_open = result.peak_open;
}

void print_report(const RunFacts &facts, const std::vector<PhaseSummary> &phases, const std::vector<RssPoint> &soak) {
    std::printf("\n### %s\n\n", facts.label.empty() ? "bench_load" : facts.label.c_str());
    std::printf("`%s`\n\n", facts.command.c_str());
    std::printf("load average before: %s; after: %s\n\n", facts.load_before.c_str(), facts.load_after.c_str());
    std::printf("| phase | streams | completed | failed | peak open | TTFT p50 ms | TTFT p99 ms | gap p50 ms | gap p99 ms "
                "| content chunks | wall s | CPU s (measured process) | CPU µs/chunk | RSS idle MiB | RSS max MiB | VmHWM MiB |\n");
    std::printf("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (const auto &p : phases)
        std::printf("| %s | %zu | %zu | %zu | %zu | %.2f | %.2f | %.2f | %.2f | %llu | %.1f | %.2f | %.1f | %.1f | %.1f | %.1f |\n",
                    p.name.c_str(), p.streams, p.completed, p.failed, p.peak_open, p.ttft_p50_ms, p.ttft_p99_ms,
                    p.gap_p50_ms, p.gap_p99_ms, static_cast<unsigned long long>(p.chunks), p.wall_seconds, p.cpu_seconds,
                    p.cpu_us_per_chunk(), mib(p.rss_idle_kib), mib(p.rss_max_kib), mib(p.hwm_kib));
    for (const auto &p : phases)
        for (const auto &f : p.failures) std::printf("\nfailures (%s): %zu x %s\n", p.name.c_str(), f.second, f.first.c_str());

    std::printf("\n| ratio | value |\n|---|---:|\n");
    std::printf("| bare libsecp256k1 ECDH (same run, CPU µs) | %.1f |\n", facts.ecdh_us);
    if (facts.relay_floor_us > 0) {
        std::printf("| relay floor: recv + 1 ECDH + send per chunk over epoll, same pacing (CPU µs) | %.1f |\n",
                    facts.relay_floor_us);
        std::printf("| of which the kernel (the floor threads' system time), per chunk (CPU µs) | %.1f |\n",
                    facts.relay_floor_system_us);
        if (facts.ecdh_us > 0) std::printf("| relay floor / bare ECDH | %.2fx |\n", facts.relay_floor_us / facts.ecdh_us);
    }
    const PhaseSummary *direct = nullptr, *proxy = nullptr;
    for (const auto &p : phases) (p.name == "proxy" ? proxy : direct) = &p;
    if (direct && proxy) {
        std::printf("| TTFT added by the proxy, p50 (ms) | %.2f |\n", proxy->ttft_p50_ms - direct->ttft_p50_ms);
        std::printf("| TTFT added by the proxy, p99 (ms) | %.2f |\n", proxy->ttft_p99_ms - direct->ttft_p99_ms);
        std::printf("| inter-chunk gap added, p50 (ms) | %.2f |\n", proxy->gap_p50_ms - direct->gap_p50_ms);
        std::printf("| inter-chunk gap added, p99 (ms) | %.2f |\n", proxy->gap_p99_ms - direct->gap_p99_ms);
        std::printf("| venice-sim CPU per 1,000 chunks (s, direct phase) | %.3f |\n", direct->cpu_us_per_chunk() / 1000.0);
    }
    if (proxy) {
        std::printf("| proxy CPU per 1,000 streamed chunks (s) | %.3f |\n", proxy->cpu_us_per_chunk() / 1000.0);
        if (proxy->chunks > 0)
            std::printf("| of which the kernel (system time), per chunk (CPU µs) | %.1f |\n",
                        proxy->system_seconds * 1e6 / static_cast<double>(proxy->chunks));
        if (facts.ecdh_us > 0)
            std::printf("| proxy CPU per chunk / bare ECDH | %.2fx |\n", proxy->cpu_us_per_chunk() / facts.ecdh_us);
        if (facts.relay_floor_us > 0)
            std::printf("| proxy CPU per chunk / relay floor | %.2fx |\n", proxy->cpu_us_per_chunk() / facts.relay_floor_us);
        std::printf("| proxy peak RSS (VmHWM, MiB) | %.1f |\n", mib(proxy->hwm_kib));
        if (const auto &u = facts.upstream; u && u->requests > 0) {
            const double per_1000 = 1000.0 / static_cast<double>(u->requests);
            std::printf("| upstream (%s) TCP connects per 1,000 requests, after warm-up (%.0f in %zu) | %.1f |\n",
                        facts.upstream_scheme.c_str(), u->opened, u->requests, u->opened * per_1000);
            if (facts.upstream_scheme == "https")
                std::printf("| upstream TLS handshakes per 1,000 requests: full / resumed | %.1f / %.1f |\n",
                            (u->opened - u->resumed) * per_1000, u->resumed * per_1000);
            std::printf("| requests sent on a pooled upstream connection per 1,000 | %.1f |\n", u->reused * per_1000);
            std::printf("| pooled upstream connections dropped (closed by Venice or expired) | %.0f |\n", u->dropped);
        }
        std::printf("| proxy RSS per open stream (KiB; (RSS with %zu open - idle RSS) / %zu) | %.1f |\n",
                    proxy->sampled_peak_open, proxy->sampled_peak_open, proxy->rss_kib_per_stream());
    }
    if (!soak.empty()) {
        std::printf("\nSoak: RSS of the proxy over %.0f s (%zu samples)\n\n| t s | open | RSS MiB |\n|---:|---:|---:|\n",
                    soak.back().seconds, soak.size());
        const size_t step = std::max<size_t>(1, soak.size() / 10);
        for (size_t i = 0; i < soak.size(); i += step)
            std::printf("| %.0f | %zu | %.1f |\n", soak[i].seconds, soak[i].open, mib(soak[i].rss_kib));
        std::printf("| %.0f | %zu | %.1f |\n", soak.back().seconds, soak.back().open, mib(soak.back().rss_kib));
        // Flatness after the first 10% (thread pool and allocator warm-up).
        const std::vector<RssPoint> settled(soak.begin() + static_cast<long>(soak.size() / 10), soak.end());
        uint64_t low = UINT64_MAX, high = 0;
        for (const auto &p : settled) {
            low = std::min(low, p.rss_kib);
            high = std::max(high, p.rss_kib);
        }
        std::printf("\nafter the first 10%%: RSS min %.1f MiB, max %.1f MiB, slope %.1f KiB/min\n", mib(low), mib(high),
                    rss_slope_kib_per_minute(settled));
    }
    std::fflush(stdout);
}

}  // namespace vep::bench
