// libFuzzer target: read_rim() on arbitrary text as NVIDIA's SWID XML or RIM service answer, with
// NVIDIA's CoRIM root pinned (the real RIMs in tests/data/gpu/nvidia are the seed corpus): the XML
// reader, Canonical XML, the XMLDSig profile and the SWID payload. It either throws vep::Failure
// or returns the RIM asked for, with golden values under the pinned root; nothing else may escape.
#include <cstdint>
#include <cstdlib>
#include <set>
#include <string>

#include "rim_reader.hpp"
#include "vep/sdk.hpp"

namespace {

void require(bool ok) {
    if (!ok) std::abort();
}

constexpr int64_t kVerificationTime = 1717200000;  // 2024-06-01, inside the seed RIMs' signer validity
const std::string kVbiosId = "NV_GPU_VBIOS_1010_0200_882_96005E0001";

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    static const std::set<std::string> pinned = {"12977b5115acb0381179279fffeb5a8c4d264971ebb32298023a465fa41df5d1"};
    try {
        const vep::nvidia::SignedRim rim = vep::nvidia::read_rim(std::string(reinterpret_cast<const char *>(data), size),
                                                                 kVbiosId, "vbios", pinned, kVerificationTime);
        require(rim.rim_id == kVbiosId && rim.component == "vbios");
        require(rim.root_sha256 == *pinned.begin());
        for (const auto &[index, golden] : rim.measurements) require(index <= 255 && !golden.values.empty());
    } catch (const vep::Failure &) {
    }
    return 0;
}
