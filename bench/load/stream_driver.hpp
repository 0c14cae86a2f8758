// StreamDriver: runs many streaming HTTP requests at once from one thread with epoll and
// non-blocking sockets (no thread per stream), and records for each stream its time to first
// content chunk and the gaps between content chunks. What counts as a content chunk, and whether
// it is correct, is decided by the caller's EventJudge (plain text for the proxy, decrypted for
// the direct baseline). Used by bench_load for every phase.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "sse_response_reader.hpp"

namespace vep::bench {

using SteadyClock = std::chrono::steady_clock;

// How one SSE event of an answer is judged.
enum class EventVerdict { Content, Other, Done, Failure };

// Judges event number `content_index` candidates; may write a reason on Failure.
using EventJudge = std::function<EventVerdict(const SseClientEvent &event, size_t content_index, std::string &why)>;

struct StreamRecord {
    bool ok = false;
    std::string failure;                 // why it failed
    double ttft_ms = -1;                 // connect start (or send, on a kept-alive connection) -> first content chunk
    std::vector<double> gaps_ms;         // between consecutive content chunks
    uint64_t content_chunks = 0;
};

struct PhasePlan {
    uint16_t port = 0;
    std::string request;                 // the complete HTTP request sent on every stream
    size_t concurrency = 1;
    size_t total = 1;
    std::chrono::milliseconds ramp{0};   // the first `concurrency` streams start spread over it
    std::chrono::milliseconds stream_timeout{60000};
    std::optional<SteadyClock::time_point> stop_starting_at;  // soak: no new streams after it
    size_t expected_chunks = 0;          // a stream is ok only with exactly this many
    // A stream whose response ended by its framing leaves its connection open for the next
    // stream, which then sends on it (TTFT from sending) instead of connecting (the request must
    // say Connection: keep-alive).
    bool keep_alive = false;
};

struct PhaseResult {
    std::vector<StreamRecord> streams;
    double wall_seconds = 0;
    size_t peak_open = 0;
};

// Called about every 100 ms with the number of open streams.
using PhaseTick = std::function<void(size_t open)>;

PhaseResult run_phase(const PhasePlan &plan, const EventJudge &judge, const PhaseTick &tick);

}  // namespace vep::bench
