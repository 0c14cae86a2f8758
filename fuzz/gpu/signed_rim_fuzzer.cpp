// libFuzzer target: verify_signed_rim() on arbitrary text with the committed test RIM root pinned
// (tests/data/gpu; its RIMs are the seed corpus). It either throws vep::Failure or returns a RIM
// with an id, a known component and golden values; nothing else may escape.
#include <cstdint>
#include <cstdlib>
#include <set>
#include <string>

#include "signed_rim.hpp"
#include "vep/sdk.hpp"

namespace {

void require(bool ok) {
    if (!ok) std::abort();
}

constexpr int64_t kVerificationTime = 1796601600;  // 2026-12-07, inside the test signer's validity

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    static const std::set<std::string> pinned = {"a14884c1bf4183c3e8680c345d55eb7643068cf0ae709d09e8e0cbe029b6d5e7"};
    try {
        const vep::nvidia::SignedRim rim =
            vep::nvidia::verify_signed_rim(std::string(reinterpret_cast<const char *>(data), size), pinned, kVerificationTime);
        require(!rim.rim_id.empty());
        require(rim.component == "driver" || rim.component == "vbios");
        require(rim.root_sha256 == *pinned.begin());
    } catch (const vep::Failure &) {
    }
    return 0;
}
