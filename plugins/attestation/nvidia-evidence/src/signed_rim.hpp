// A reference integrity manifest (RIM) in the proxy's signed format "vep-rim-v1".
//
// NVIDIA publishes RIMs as SWID XML signed with XMLDSig. This plugin reads a simpler signed
// envelope carrying the same content (see docs/operator-guide.md, "GPU evidence depth"):
//   {"format": "vep-rim-v1",
//    "payload": "<Base64 of the payload JSON bytes>",
//    "certificate_chain": "<PEM: signer certificate first, root last>",
//    "signature": "<Base64 of a DER ECDSA signature over SHA-384(payload bytes)>"}
// payload: {"rim_id": "NV_GPU_DRIVER_GH100_570.172.08", "component": "driver" | "vbios",
//           "version": "...", "measurements": [{"index": 2, "active": true, "values": ["<hex>", ...]}]}
// The signature covers the payload bytes exactly as served, so no canonicalisation is involved.
//
// Owns: parsing with bounds, the signer chain to a pinned RIM root (pinned_chain.hpp) at the
// verification time, the signature, and the payload's shape. Called by the RIM comparison.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace vep::nvidia {

struct GoldenMeasurement {
    bool active = true;
    std::vector<std::vector<uint8_t>> values;  // any one of them is accepted
};

struct SignedRim {
    std::string rim_id;
    std::string component;  // "driver" or "vbios"
    std::string version;
    std::map<unsigned, GoldenMeasurement> measurements;  // by measurement index
    std::string signer_subject;
    std::string root_sha256;
};

constexpr size_t kMaxRimBytes = 1024 * 1024;

// Throws vep::Failure("attestation_invalid_nvidia_evidence", "RIM " + why) (every RIM reader's failure).
[[noreturn]] void rim_invalid(const std::string &why);

// Throws vep::Failure("attestation_invalid_nvidia_evidence", "RIM <what>: ...") when the text is
// not such an envelope, the signer chain does not validate to a pinned root at `now`, the
// signature does not verify, or the payload is malformed.
SignedRim verify_signed_rim(const std::string &text, const std::set<std::string> &pinned_root_sha256, int64_t now);

}  // namespace vep::nvidia
