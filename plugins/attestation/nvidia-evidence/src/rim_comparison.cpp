// GPU measurements vs. RIM golden values (see rim_comparison.hpp).
#include "rim_comparison.hpp"

#include <algorithm>

#include "vep/hex.hpp"
#include "vep/sdk.hpp"
#include "vep/text.hpp"

namespace vep::nvidia {
namespace {

constexpr size_t kVbiosVersionBytes = 5;

[[noreturn]] void invalid(const std::string &why) { throw Failure("attestation_invalid_nvidia_evidence", why); }

std::string upper_hex(uint8_t byte) {
    constexpr const char *kDigits = "0123456789ABCDEF";
    return {kDigits[byte >> 4], kDigits[byte & 0x0f]};
}

// The five version bytes in display order: the first four are a little-endian word.
std::vector<std::string> vbios_parts(const SpdmMeasurements &m) {
    if (m.vbios_version.size() < kVbiosVersionBytes) return {};
    const auto &v = m.vbios_version;
    return {upper_hex(v[3]), upper_hex(v[2]), upper_hex(v[1]), upper_hex(v[0]), upper_hex(v[4])};
}

size_t compare_one(const SpdmMeasurements &m, const SignedRim &rim, const SignedRim &other) {
    size_t matched = 0;
    for (const auto &[index, golden] : rim.measurements) {
        if (!golden.active) continue;
        if (const auto o = other.measurements.find(index); o != other.measurements.end() && o->second.active)
            invalid("measurement " + std::to_string(index) + " is active in both " + rim.rim_id + " and " + other.rim_id);
        const auto found = m.blocks.find(index);
        if (found == m.blocks.end())
            invalid("measurement " + std::to_string(index) + " required by " + rim.rim_id + " is not in the evidence");
        if (std::find(golden.values.begin(), golden.values.end(), found->second) == golden.values.end())
            invalid("measurement " + std::to_string(index) + " (" + hex::encode(found->second.data(), found->second.size()) +
                    ") matches no golden value of " + rim.rim_id);
        ++matched;
    }
    return matched;
}

}  // namespace

std::string driver_rim_id(const SpdmMeasurements &m, const std::string &arch) {
    const std::string a = to_lower_ascii(trim_ascii(arch));
    const char *chip = a == "hopper" ? "GH100" : a == "blackwell" ? "GB100" : nullptr;
    if (!chip) invalid("no driver RIM is known for GPU architecture \"" + arch + "\"");
    if (m.driver_version.empty()) invalid("GPU evidence has no driver version to select a driver RIM");
    return std::string("NV_GPU_DRIVER_") + chip + "_" + m.driver_version;
}

std::string vbios_version_text(const SpdmMeasurements &m) {
    std::string out;
    for (const auto &part : vbios_parts(m)) out += (out.empty() ? "" : ".") + part;
    return out;
}

std::string vbios_rim_id(const SpdmMeasurements &m) {
    const auto parts = vbios_parts(m);
    if (parts.empty() || m.project.empty() || m.project_sku.empty() || m.chip_sku.empty())
        invalid("GPU evidence lacks the VBIOS version, project, project SKU or chip SKU to select a VBIOS RIM");
    std::string version;
    for (const auto &part : parts) version += part;
    return "NV_GPU_VBIOS_" + m.project + "_" + m.project_sku + "_" + m.chip_sku + "_" + version;
}

RimMatch compare_with_rims(const SpdmMeasurements &m, const SignedRim &driver, const SignedRim &vbios) {
    RimMatch out;
    out.driver_measurements = compare_one(m, driver, vbios);
    out.vbios_measurements = compare_one(m, vbios, driver);
    if (out.driver_measurements + out.vbios_measurements == 0) invalid("the RIMs mark no measurement active");
    return out;
}

}  // namespace vep::nvidia
