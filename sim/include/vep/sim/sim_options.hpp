// venice-sim settings: what one simulator instance listens on, which cipher plugin it loads and
// which limits it enforces. Filled by the venice-sim command line (sim/src/main.cpp) or by tests
// that start a vep::sim::SimServer in-process.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace vep::sim {

struct SimOptions {
    std::string host = "127.0.0.1";
    uint16_t port = 0;                  // 0 = ephemeral
    std::string api_key = "sim-key";    // the bearer token every /api/v1 call must carry
    std::string plugin_dir;             // holds e2ee-<cipher>.so; empty = default_plugin_dir()
    std::string cipher = "secp256k1";
    std::string scenario_file;          // optional JSON: default scenario + per-model overrides
    std::string tls_cert_file;          // PEM certificate (chain): serve HTTPS instead of HTTP
    std::string tls_key_file;           // PEM private key of tls_cert_file
    int threads = 64;                   // HTTP worker threads (one per open connection)
    int keep_alive_ms = 5000;           // an idle keep-alive connection is closed after this
    int latency_ms = 0;                 // simulated round trip before every /api/v1 answer (0..10000)
    bool debug_plaintext = false;       // keep decrypted message texts in request records
    size_t max_body_bytes = 4u << 20;   // request bodies above this answer 413
    size_t max_records = 10000;         // oldest request records are dropped beyond this
    int max_interval_ms = 10000;        // bound on any directive's pacing between chunks
    int max_stall_ms = 120000;          // bound on the stall fault
    int max_chunks = 100000;            // bound on chunks of one answer
};

// $ORIGIN/../lib/venice-e2ee-proxy/plugins of the running executable (build tree and install tree).
std::string default_plugin_dir();

}  // namespace vep::sim
