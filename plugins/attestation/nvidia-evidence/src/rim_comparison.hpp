// The GPU's measurements compared with the golden values of its driver and VBIOS RIMs.
//
// Owns: the RIM ids a GPU's evidence asks for (NVIDIA's naming, from the signed opaque data):
//   driver  NV_GPU_DRIVER_<chip>_<driver version>            chip: GH100 for HOPPER, GB100 for BLACKWELL
//   VBIOS   NV_GPU_VBIOS_<project>_<project SKU>_<chip SKU>_<VBIOS version, 10 upper-case hex digits>
// and the comparison rule of NVIDIA's verifiers: every measurement a RIM marks active must be in
// the evidence and equal one of its golden values; an index that both RIMs mark active is a
// conflict. Indices no RIM marks active are not compared. Called by the verifier.
#pragma once

#include <cstddef>
#include <string>

#include "signed_rim.hpp"
#include "spdm_measurements.hpp"

namespace vep::nvidia {

// Throw vep::Failure("attestation_invalid_nvidia_evidence", ...) when the evidence lacks the
// opaque data an id is built from, or the architecture is not known.
std::string driver_rim_id(const SpdmMeasurements &measurements, const std::string &arch);
std::string vbios_rim_id(const SpdmMeasurements &measurements);

// "96.00.CF.00.02" for the opaque VBIOS version bytes 00 CF 00 96 02 …; "" when absent.
std::string vbios_version_text(const SpdmMeasurements &measurements);

struct RimMatch {
    size_t driver_measurements = 0;  // active golden measurements matched, per RIM
    size_t vbios_measurements = 0;
};

// Throws vep::Failure("attestation_invalid_nvidia_evidence", ...) naming the first measurement
// index that is missing or differs, or an index claimed by both RIMs.
RimMatch compare_with_rims(const SpdmMeasurements &measurements, const SignedRim &driver, const SignedRim &vbios);

}  // namespace vep::nvidia
