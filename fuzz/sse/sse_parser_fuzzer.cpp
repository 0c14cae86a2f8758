// libFuzzer target: random bytes, fed to SseParser in random splits, every event classified.
//
// Checks, besides memory safety: the event sequence (and the first error) does not depend on
// where the network split the bytes — the same input fed in one piece must give the same result.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "errors/proxy_error.hpp"
#include "sse/sse_parser.hpp"
#include "sse/upstream_event.hpp"

namespace {

using vep::host::ProxyError;
using vep::host::SseEvent;
using vep::host::SseParser;

// What a run produced: the events, then the error message that stopped it (empty if none).
struct Outcome {
    std::vector<SseEvent> events;
    std::string error;
};

// Deterministic chunk sizes derived from the input's first bytes.
class SplitPlan {
  public:
    explicit SplitPlan(uint64_t seed) : state_(seed | 1) {}
    size_t next_size() {
        state_ ^= state_ << 13;
        state_ ^= state_ >> 7;
        state_ ^= state_ << 17;
        return 1 + static_cast<size_t>(state_ % 17);
    }

  private:
    uint64_t state_;
};

Outcome run(std::string_view stream, size_t max_event_bytes, SplitPlan *plan) {
    Outcome out;
    SseParser parser(max_event_bytes);
    try {
        size_t pos = 0;
        while (pos < stream.size()) {
            const size_t size = plan ? plan->next_size() : stream.size();
            parser.feed(stream.substr(pos, size));
            pos += size;
            while (auto event = parser.next()) out.events.push_back(std::move(*event));
        }
        parser.fail_at_end_of_stream();
    } catch (const ProxyError &e) {
        out.error = e.what();
    }
    return out;
}

bool same(const Outcome &a, const Outcome &b) {
    if (a.error != b.error || a.events.size() != b.events.size()) return false;
    for (size_t i = 0; i < a.events.size(); ++i)
        if (a.events[i].event != b.events[i].event || a.events[i].data != b.events[i].data) return false;
    return true;
}

void classify_all(std::vector<SseEvent> &events) {
    for (auto &event : events) {
        try {
            (void)vep::host::classify_upstream_event(std::move(event));
        } catch (const ProxyError &) {
        }
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 2) return 0;
    const uint64_t seed = (static_cast<uint64_t>(data[0]) << 8) | data[1];
    const std::string_view stream(reinterpret_cast<const char *>(data) + 2, size - 2);

    // Unbounded in practice: split-independence must hold exactly.
    const size_t roomy = stream.size() + 16;
    Outcome whole = run(stream, roomy, nullptr);
    SplitPlan plan(seed);
    Outcome split = run(stream, roomy, &plan);
    if (!same(whole, split)) __builtin_trap();
    classify_all(whole.events);

    // A tight bound exercises the size checks (results may differ by split near the bound).
    SplitPlan tight_plan(seed ^ 0x5a5a);
    Outcome tight = run(stream, 1 + (seed % 64), &tight_plan);
    classify_all(tight.events);
    return 0;
}
