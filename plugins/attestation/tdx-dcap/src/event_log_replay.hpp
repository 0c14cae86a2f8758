// Replays a dstack event log into RTMR values.
//
// Owns: parsing the event-log entries {imr, event_type, digest, event, event_payload[, version]},
// recomputing the digest of every dstack runtime event (type 0x08000001, v1 and v2 forms) and
// extending RTMR[imr] = SHA-384(RTMR || digest) from 48 zero bytes. Bounded to 4096 entries.
// Caller: the measurement policy.
#pragma once

#include <array>
#include <cstdint>
#include <stdexcept>

#include "openssl_util.hpp"
#include "vep/json.hpp"

namespace vep::tdx_dcap {

// Thrown for a malformed entry or a runtime event whose digest does not recompute.
class EventLogError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

struct ReplayedRtmrs {
    std::array<Sha384, 4> rtmr{};
    std::array<size_t, 4> events{};  // entries seen per RTMR
};

ReplayedRtmrs replay_event_log(const json::Value &log);

}  // namespace vep::tdx_dcap
