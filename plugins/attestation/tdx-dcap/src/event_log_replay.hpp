// Replays a dstack event log into RTMR values.
//
// Owns: parsing the event-log entries {imr, event_type, digest, event, event_payload[, version]},
// recomputing the digest of every dstack runtime event (type 0x08000001, v1 and v2 forms) and
// extending RTMR[imr] = SHA-384(RTMR || digest) from 48 zero bytes, and keeping the name and
// payload of every runtime event (authenticated once the replay equals the quote's RTMRs).
// Bounded to 4096 entries. Callers: the measurement policy and the workload policy.
#pragma once

#include <array>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "openssl_util.hpp"
#include "vep/json.hpp"

namespace vep::tdx_dcap {

// Thrown for a malformed entry or a runtime event whose digest does not recompute.
class EventLogError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

// A dstack runtime event (type 0x08000001) whose digest recomputed from its name and payload.
struct RuntimeEvent {
    size_t imr;
    std::string name;
    std::vector<uint8_t> payload;
};

struct ReplayedRtmrs {
    std::array<Sha384, 4> rtmr{};
    std::array<size_t, 4> events{};  // entries seen per RTMR
    std::vector<RuntimeEvent> runtime_events;  // in log order
};

ReplayedRtmrs replay_event_log(const json::Value &log);

}  // namespace vep::tdx_dcap
