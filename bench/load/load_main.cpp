// bench_load: drives N concurrent streaming chat requests straight against venice-sim (the
// baseline: this tool is then the E2EE client) and through the proxy, both started here as child
// processes on 127.0.0.1, and prints the docs/benchmarks.md "Load" tables. See load_usage().
#include <stdlib.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <functional>
#include <iostream>
#include <memory>
#include <stdexcept>

#include "chat_requests.hpp"
#include "child_process.hpp"
#include "direct_e2ee_client.hpp"
#include "ecdh_floor.hpp"
#include "load_options.hpp"
#include "metrics_scraper.hpp"
#include "phase_report.hpp"
#include "process_stats.hpp"
#include "relay_floor.hpp"
#include "stream_driver.hpp"

using namespace vep::bench;

namespace {

constexpr auto kStartLimit = std::chrono::seconds(20);

std::string load_average() {
    std::ifstream in("/proc/loadavg");
    std::string a, b, c;
    in >> a >> b >> c;
    return a + " " + b + " " + c;
}

std::string make_work_dir() {
    char pattern[] = "/tmp/bench-load-XXXXXX";
    if (!mkdtemp(pattern)) throw std::runtime_error("mkdtemp failed");
    return pattern;
}

int worker_threads(size_t streams) { return static_cast<int>(std::min<size_t>(4096, streams + 64)); }

// Worker threads only handle a request until its first upstream answer; the relay threads carry
// the open streams.
constexpr int kProxyWorkerThreads = 64;

// The admin listener is always on: bench_load reads the upstream connection counters from /metrics.
std::string proxy_config(const LoadOptions &o, uint16_t sim_port) {
    const int streams = worker_threads(o.streams);
    const bool tls = !o.upstream_tls_dir.empty();
    return "[server]\nhost = \"127.0.0.1\"\nport = 0\nmax_threads = " + std::to_string(kProxyWorkerThreads) +
           "\nmax_queued = " + std::to_string(std::min(4096, streams)) +
           "\nmax_concurrent_streams = " + std::to_string(streams) +
           // one client address carries the whole load: no per-address cap
           "\nmax_connections_per_client = 0" +
           "\n[logging]\nlevel = \"warn\"\n"
           "[venice]\nbase_url = \"" + (tls ? "https" : "http") + "://127.0.0.1:" + std::to_string(sim_port) +
           "/api/v1\"\napi_key = \"sim-key\"\nrequest_timeout = \"30s\"\n" +
           (tls ? "ca_file = \"" + o.upstream_tls_dir + "/ca.pem\"\n" : "") +
           "[session]\nmax_requests = 10000000\nidle_ttl = \"30m\"\nmax_ttl = \"30m\"\n"
           "[e2ee]\nephemeral_key_per = \"" + o.ephemeral_key_per + "\"\n" +
           "[admin]\nenabled = true\nport = 0\n"
           "[plugins]\ndirectories = [\"" + o.plugin_dir + "\"]\n"
           "load = [\"e2ee-secp256k1\", \"attestation-envelope\", \"tools-hermes\", \"tools-qwen-xml\", "
           "\"tools-glm-xml\"]\n";
}

std::chrono::milliseconds stream_timeout(const LoadOptions &o) {
    return std::chrono::milliseconds(30000 + 2LL * o.chunks * o.interval_ms + o.ramp_ms);
}

// Runs one measured phase against `port`, sampling `measured` (CPU, RSS) around and during it.
// `after_warm_up` runs between the warm-up stream and the measured streams.
PhaseSummary measured_phase(const std::string &name, const LoadOptions &o, uint16_t port, const std::string &request,
                            const EventJudge &judge, pid_t measured, std::vector<RssPoint> *soak, bool keep_alive,
                            const std::function<void()> &after_warm_up) {
    PhasePlan warm;
    warm.port = port;
    warm.request = request;
    warm.expected_chunks = static_cast<size_t>(o.chunks);
    const PhaseResult warm_result = run_phase(warm, judge, {});
    if (warm_result.streams.empty() || !warm_result.streams.front().ok)
        throw std::runtime_error(name + ": warm-up stream failed: " +
                                 (warm_result.streams.empty() ? "none" : warm_result.streams.front().failure));
    if (after_warm_up) after_warm_up();
    warm.keep_alive = keep_alive;

    PhasePlan plan = warm;
    plan.concurrency = o.streams;
    plan.total = o.soak_seconds > 0 ? SIZE_MAX : o.total_streams();
    plan.ramp = std::chrono::milliseconds(o.ramp_ms);
    plan.stream_timeout = stream_timeout(o);
    const auto begin = SteadyClock::now();
    if (o.soak_seconds > 0) plan.stop_starting_at = begin + std::chrono::seconds(o.soak_seconds);

    PhaseSummary summary;
    summary.name = name;
    const ProcessSample before = sample_process(measured);
    summary.rss_idle_kib = before.rss_kib;
    size_t ticks = 0;
    const PhaseTick tick = [&](size_t open) {
        const ProcessSample s = sample_process(measured);
        summary.rss_max_kib = std::max(summary.rss_max_kib, s.rss_kib);
        if (open > summary.sampled_peak_open ||
            (open == summary.sampled_peak_open && s.rss_kib > summary.rss_at_peak_open_kib)) {
            summary.sampled_peak_open = open;
            summary.rss_at_peak_open_kib = s.rss_kib;
        }
        if (soak && ticks++ % 10 == 0)
            soak->push_back(RssPoint{std::chrono::duration<double>(SteadyClock::now() - begin).count(), s.rss_kib, open});
    };
    const PhaseResult result = run_phase(plan, judge, tick);
    const ProcessSample after = sample_process(measured);
    summarise_streams(result, summary);
    summary.cpu_seconds = after.cpu_seconds - before.cpu_seconds;
    summary.system_seconds = after.system_seconds - before.system_seconds;
    summary.hwm_kib = after.hwm_kib;
    return summary;
}

std::string command_line(int argc, char **argv) {
    std::string out = "bench_load";
    for (int i = 1; i < argc; ++i) out += std::string(" ") + argv[i];
    return out;
}

}  // namespace

int main(int argc, char **argv) {
    LoadOptions o;
    try {
        o = parse_load_options(std::vector<std::string>(argv + 1, argv + argc));
    } catch (const std::invalid_argument &e) {
        std::cerr << "bench_load: " << e.what() << "\n" << load_usage();
        return 2;
    }
    try {
        RunFacts facts;
        facts.label = o.label;
        facts.command = command_line(argc, argv);
        facts.load_before = load_average();
        const std::string dir = make_work_dir();
        std::cerr << "bench_load: logs in " << dir << "\n";

        std::vector<std::string> sim_args{"--port", "0", "--plugin-dir", o.plugin_dir, "--threads",
                                          std::to_string(worker_threads(2 * o.streams)), "--latency-ms",
                                          std::to_string(o.sim_latency_ms)};
        if (!o.upstream_tls_dir.empty())
            sim_args.insert(sim_args.end(), {"--tls-cert", o.upstream_tls_dir + "/server.pem", "--tls-key",
                                             o.upstream_tls_dir + "/server.key"});
        ChildProcess sim(o.sim_bin, sim_args, dir + "/venice-sim.log");
        const uint16_t sim_port = port_of_listening_line(sim.wait_for_line("listening on", kStartLimit));
        facts.ecdh_us = measure_bare_ecdh_us(o.ecdh_iterations);
        if (o.runs_proxy() && o.soak_seconds == 0) {
            std::cerr << "bench_load: relay floor (" << o.streams << " streams)\n";
            const RelayFloorResult floor =
                measure_relay_floor(RelayFloorPlan{o.streams, o.chunks, o.interval_ms, o.ramp_ms});
            facts.relay_floor_us = floor.cpu_us_per_chunk();
            facts.relay_floor_system_us = floor.system_us_per_chunk();
        }

        ConversationShape shape{o.model, o.messages, o.chunks, o.chunk_bytes, o.interval_ms};
        std::vector<PhaseSummary> phases;
        std::vector<RssPoint> soak;
        if (o.runs_direct()) {
            std::cerr << "bench_load: direct phase (" << o.streams << " streams)\n";
            const DirectE2eeClient client(o.plugin_dir, sim_port, o.model);
            const std::string request = http_post("/api/v1/chat/completions", client.encrypted_body(shape),
                                                  client.headers(), o.direct_keep_alive);
            phases.push_back(measured_phase("direct (venice-sim)", o, sim_port, request, client.judge(o.chunk_bytes),
                                            sim.pid(), nullptr, o.direct_keep_alive, {}));
        }
        if (o.runs_proxy()) {
            std::cerr << "bench_load: proxy phase (" << o.streams << " streams)\n";
            const std::string config_path = dir + "/proxy.toml";
            std::ofstream(config_path) << proxy_config(o, sim_port);
            ChildProcess proxy(o.proxy_bin, {config_path}, dir + "/proxy.log");
            const uint16_t proxy_port = port_of_listening_line(proxy.wait_for_line("listening on http://", kStartLimit));
            const uint16_t admin_port =
                port_of_listening_line(proxy.wait_for_line("admin listening on http://", kStartLimit));
            std::unique_ptr<MetricsScraper> scraper;
            if (o.scrape_metrics_ms > 0)
                scraper = std::make_unique<MetricsScraper>(admin_port, std::chrono::milliseconds(o.scrape_metrics_ms));
            const auto upstream_counts = [admin_port] {
                const std::string text = fetch_metrics(admin_port);
                return UpstreamConnections{metric_value(text, "vep_upstream_connections_opened_total"),
                                           metric_value(text, "vep_upstream_tls_resumed_total"),
                                           metric_value(text, "vep_upstream_connections_reused_total"),
                                           metric_value(text, "vep_upstream_connections_dropped_total"), 0};
            };
            UpstreamConnections before;
            const std::string request = http_post(
                "/v1/chat/completions", chat_body(shape, [](const std::string &t) { return t; }, false),
                {{"X-Venice-Proxy-Session-Id", "bench-load-agent"}}, o.proxy_keep_alive);
            phases.push_back(measured_phase(scraper ? "proxy, /metrics scraped" : "proxy", o, proxy_port, request,
                                            plain_judge(o.chunk_bytes), proxy.pid(),
                                            o.soak_seconds > 0 ? &soak : nullptr, o.proxy_keep_alive,
                                            [&] { before = upstream_counts(); }));
            UpstreamConnections after = upstream_counts();
            after.opened -= before.opened;
            after.resumed -= before.resumed;
            after.reused -= before.reused;
            after.dropped -= before.dropped;
            after.requests = phases.back().streams;
            facts.upstream = after;
            facts.upstream_scheme = o.upstream_tls_dir.empty() ? "http" : "https";
            if (scraper) {
                const size_t scrapes = scraper->stop();
                std::cerr << "bench_load: " << scrapes << " /metrics scrapes answered 200"
                          << (scraper->last_failure().empty() ? "" : "; last failure: " + scraper->last_failure())
                          << "\n";
            }
        }
        facts.load_after = load_average();
        print_report(facts, phases, soak);
        for (const auto &p : phases)
            if (p.failed > 0) return 1;
        return 0;
    } catch (const std::exception &e) {
        std::cerr << "bench_load: " << e.what() << "\n";
        return 1;
    }
}
