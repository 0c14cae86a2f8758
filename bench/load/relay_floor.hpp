// The relay floor: what relaying one streamed chunk costs on this machine with nothing but the
// unavoidable work — read one upstream chunk from a loopback TCP socket, one bare ECDH, write one
// client chunk to another socket — done by epoll loops (one per core, as the proxy's relay
// threads), under the same pacing as the load (streams, chunks, interval, ramp). bench_load
// measures it in the same run: the proxy's CPU per chunk above this floor is the proxy's own work
// (HTTP framing, SSE, JSON, HKDF + AES-GCM, chain); the floor above one ECDH is the kernel's.
#pragma once

#include <cstddef>

namespace vep::bench {

struct RelayFloorPlan {
    size_t streams = 100;
    int chunks = 20;
    int interval_ms = 100;
    int ramp_ms = 1000;
    size_t upstream_bytes = 420;  // one SSE event of an encrypted 16-byte delta, chunk-framed
    size_t client_bytes = 210;    // one OpenAI chunk of a 16-byte delta, chunk-framed
};

struct RelayFloorResult {
    size_t chunks = 0;           // chunks relayed
    double cpu_seconds = 0;      // CPU time of the relay threads (user + system)
    double system_seconds = 0;   // of which the kernel's (the threads' system time)
    double cpu_us_per_chunk() const { return chunks ? cpu_seconds * 1e6 / static_cast<double>(chunks) : 0; }
    double system_us_per_chunk() const { return chunks ? system_seconds * 1e6 / static_cast<double>(chunks) : 0; }
};

// Runs the floor relay in this process (sender, relay and reader threads on 127.0.0.1). Throws
// std::runtime_error when a socket cannot be set up or a chunk is lost.
RelayFloorResult measure_relay_floor(const RelayFloorPlan &plan);

}  // namespace vep::bench
