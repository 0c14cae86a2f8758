// libFuzzer target: the parts of an upstream attestation body that are read before anything in
// them is verified — the envelope's fields in both live shapes, the TDX quote summary, the
// NVIDIA payload and the SPDM measurement transcript of each GPU. The first byte picks the
// parser; the rest is its input (JSON text, or raw bytes for the quote and the transcript).
//
// Checks, besides memory safety: every refusal is a vep::Failure (or the JSON reader's
// ParseError) — anything else would escape the plugin's fail-closed path; an accepted transcript
// accounts for its bytes (the signed part is all but the 96-byte signature).
#include <cstddef>
#include <cstdint>
#include <vector>

#include "envelope_fields.hpp"
#include "nvidia_payload.hpp"
#include "spdm_measurements.hpp"
#include "tdx_quote_summary.hpp"
#include "vep/json.hpp"
#include "vep/sdk.hpp"

namespace {

void transcript(const std::vector<uint8_t> &evidence) {
    const auto measurements = vep::nvidia::parse_spdm_measurements(evidence);
    if (measurements.signed_length + measurements.signature.size() != evidence.size()) __builtin_trap();
}

void parse(uint8_t which, const uint8_t *data, size_t size) {
    const std::string_view text(reinterpret_cast<const char *>(data), size);
    switch (which % 4) {
    case 0: vep::envelope::read_envelope_fields(vep::json::parse(text)); return;
    case 1:
        for (const auto &gpu : vep::nvidia::parse_nvidia_payload(vep::json::parse(text)).gpus) {
            try {
                transcript(gpu.evidence);
            } catch (const vep::Failure &) {
            }
        }
        return;
    case 2: transcript(std::vector<uint8_t>(data, data + size)); return;
    case 3: vep::envelope::read_tdx_quote_summary(std::vector<uint8_t>(data, data + size)); return;
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size == 0) return 0;
    try {
        parse(data[0], data + 1, size - 1);
    } catch (const vep::Failure &) {
    } catch (const vep::json::ParseError &) {
    }
    return 0;
}
