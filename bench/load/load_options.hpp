// LoadOptions: the command line of bench_load (what to run, how hard, which binaries). Parsed
// once by main; every phase reads it.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace vep::bench {

struct LoadOptions {
    std::string mode = "both";  // "proxy", "direct" or "both" (direct first, then proxy)
    size_t streams = 100;       // streams open at once
    size_t total = 0;           // streams to run in all; 0 = `streams`
    int chunks = 20;            // venice-sim `long` scenario: content chunks per answer
    int chunk_bytes = 16;
    int interval_ms = 100;
    int messages = 1;           // conversation length (the last one is the user turn)
    int ramp_ms = 1000;         // the first `streams` streams start spread over this time
    int soak_seconds = 0;       // > 0: proxy only, keep `streams` open this long, RSS each second
    int ecdh_iterations = 20000;
    std::string ephemeral_key_per = "field";  // proxy e2ee.ephemeral_key_per
    std::string model = "e2ee-hermes-3-llama-3.1-405b-p";
    std::string proxy_bin;   // default: venice-e2ee-proxy next to bench_load
    std::string sim_bin;     // default: venice-sim next to bench_load
    std::string plugin_dir;  // default: ../lib/venice-e2ee-proxy/plugins from bench_load
    std::string label;       // printed with the results
    int scrape_metrics_ms = 0;  // > 0: the proxy's admin listener is on and /metrics is scraped this often
    int sim_latency_ms = 0;     // venice-sim --latency-ms: a simulated round trip before every answer
    bool direct_keep_alive = false;  // the direct client sends each stream on an already open connection
    bool proxy_keep_alive = false;   // the proxy's clients keep their connection for their next stream
    std::string upstream_tls_dir;    // server.pem, server.key, ca.pem: venice-sim serves HTTPS (proxy mode only)

    size_t total_streams() const { return total == 0 ? streams : total; }
    bool runs_direct() const { return soak_seconds == 0 && (mode == "direct" || mode == "both"); }
    bool runs_proxy() const { return soak_seconds > 0 || mode == "proxy" || mode == "both"; }
};

// Parses argv (throws std::invalid_argument with a message naming the flag) and fills defaults.
LoadOptions parse_load_options(const std::vector<std::string> &args);

// The usage text.
const char *load_usage();

}  // namespace vep::bench
