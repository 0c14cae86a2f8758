// An SPDM 1.1 GET_MEASUREMENTS request + MEASUREMENTS response transcript as NVIDIA GPUs emit it:
// request (37 bytes: 11 E0 param1 param2, 32-byte requester nonce, slot),
// response (11 60 …, measurement record, responder nonce, opaque data TLVs, 96-byte P-384 r||s).
//
// Owns: strict parsing with exact length accounting (a truncated or padded transcript is
// rejected; an index measured twice is rejected). Called by NvidiaEvidenceVerifier; the signature itself is checked elsewhere.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace vep::nvidia {

struct SpdmMeasurements {
    std::array<uint8_t, 32> requester_nonce{};
    size_t signed_length = 0;            // bytes covered by the signature (all but the last 96)
    std::array<uint8_t, 96> signature{};  // raw r || s
    unsigned measurement_blocks = 0;
    std::map<unsigned, std::vector<uint8_t>> blocks;  // measurement index -> DMTF measurement value
    std::optional<std::vector<uint8_t>> fwid;  // opaque data type 20
    std::string driver_version;                // opaque data type 3, when present
    std::vector<uint8_t> vbios_version;        // opaque data type 6 (8 bytes on Hopper), when present
    std::string chip_sku;                      // opaque data type 15, when present
    std::string project;                       // opaque data type 17, when present
    std::string project_sku;                   // opaque data type 18, when present
};

// Throws vep::Failure("attestation_invalid_nvidia_evidence", ...) when the bytes are not such a
// transcript.
SpdmMeasurements parse_spdm_measurements(const std::vector<uint8_t> &evidence);

}  // namespace vep::nvidia
