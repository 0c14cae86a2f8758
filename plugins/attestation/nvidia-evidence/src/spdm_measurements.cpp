// SPDM GET_MEASUREMENTS transcript parsing (see spdm_measurements.hpp).
#include "spdm_measurements.hpp"

#include <algorithm>

#include "vep/sdk.hpp"

namespace vep::nvidia {
namespace {

constexpr uint8_t kSpdmVersion11 = 0x11;
constexpr uint8_t kGetMeasurements = 0xE0;
constexpr uint8_t kMeasurements = 0x60;
constexpr size_t kRequestSize = 37;
constexpr size_t kSignatureSize = 96;
constexpr uint16_t kOpaqueDriverVersion = 3;
constexpr uint16_t kOpaqueVbiosVersion = 6;
constexpr uint16_t kOpaqueChipSku = 15;
constexpr uint16_t kOpaqueProject = 17;
constexpr uint16_t kOpaqueProjectSku = 18;
constexpr uint16_t kOpaqueFwid = 20;
constexpr size_t kDmtfHeaderSize = 3;  // value type u8, value size u16

[[noreturn]] void invalid(const std::string &why) {
    throw Failure("attestation_invalid_nvidia_evidence", "invalid GPU evidence: " + why);
}

// A bounds-checked reader over the transcript.
class Reader {
  public:
    Reader(const std::vector<uint8_t> &b, size_t end) : b_(b), end_(end) {}
    size_t pos() const { return pos_; }
    void need(size_t n, const char *what) const {
        if (n > end_ - pos_) invalid(std::string("truncated at ") + what);
    }
    uint8_t u8(const char *what) {
        need(1, what);
        return b_[pos_++];
    }
    uint32_t le(size_t n, const char *what) {
        need(n, what);
        uint32_t v = 0;
        for (size_t i = n; i-- > 0;) v = (v << 8) | b_[pos_ + i];
        pos_ += n;
        return v;
    }
    const uint8_t *take(size_t n, const char *what) {
        need(n, what);
        const uint8_t *p = b_.data() + pos_;
        pos_ += n;
        return p;
    }

  private:
    const std::vector<uint8_t> &b_;
    size_t end_;
    size_t pos_ = 0;
};

void read_measurement_record(Reader &r, unsigned blocks, size_t record_length, SpdmMeasurements &out) {
    const size_t start = r.pos();
    for (unsigned i = 0; i < blocks; ++i) {
        const unsigned index = r.u8("measurement index");
        const uint8_t specification = r.u8("measurement specification");
        const uint32_t size = r.le(2, "measurement size");
        const uint8_t *block = r.take(size, "measurement value");
        if (specification != 1) continue;  // only DMTF-format blocks carry a comparable value
        if (size < kDmtfHeaderSize) invalid("DMTF measurement block is too short");
        const size_t value_size = static_cast<size_t>(block[1] | block[2] << 8);
        if (value_size != size - kDmtfHeaderSize) invalid("DMTF measurement value size does not match its block");
        if (!out.blocks.emplace(index, std::vector<uint8_t>(block + kDmtfHeaderSize, block + size)).second)
            invalid("measurement index " + std::to_string(index) + " appears twice");
    }
    if (r.pos() - start != record_length) invalid("measurement record length does not match its blocks");
}

std::string c_string(const uint8_t *p, size_t size) { return std::string(p, std::find(p, p + size, 0)); }

void read_opaque_data(const uint8_t *p, size_t len, SpdmMeasurements &out) {
    size_t i = 0;
    while (i < len) {
        if (len - i < 4) invalid("truncated opaque data element");
        const uint16_t type = static_cast<uint16_t>(p[i] | p[i + 1] << 8);
        const size_t size = static_cast<size_t>(p[i + 2] | p[i + 3] << 8);
        i += 4;
        if (size > len - i) invalid("opaque data element runs past the end");
        if (type == kOpaqueFwid) {
            if (out.fwid) invalid("opaque data has two FWID elements");
            out.fwid = std::vector<uint8_t>(p + i, p + i + size);
        } else if (type == kOpaqueDriverVersion) {
            out.driver_version = c_string(p + i, size);
        } else if (type == kOpaqueVbiosVersion) {
            out.vbios_version.assign(p + i, p + i + size);
        } else if (type == kOpaqueChipSku) {
            out.chip_sku = c_string(p + i, size);
        } else if (type == kOpaqueProject) {
            out.project = c_string(p + i, size);
        } else if (type == kOpaqueProjectSku) {
            out.project_sku = c_string(p + i, size);
        }
        i += size;
    }
}

}  // namespace

SpdmMeasurements parse_spdm_measurements(const std::vector<uint8_t> &evidence) {
    if (evidence.size() < kRequestSize + kSignatureSize) invalid("transcript is too short");
    SpdmMeasurements out;
    out.signed_length = evidence.size() - kSignatureSize;
    std::copy_n(evidence.end() - kSignatureSize, kSignatureSize, out.signature.begin());

    Reader r(evidence, out.signed_length);
    if (r.u8("request version") != kSpdmVersion11) invalid("request is not SPDM 1.1");
    if (r.u8("request code") != kGetMeasurements) invalid("request is not GET_MEASUREMENTS");
    if ((r.u8("request param1") & 0x01) == 0) invalid("request did not ask for a signature");
    r.u8("request param2");
    std::copy_n(r.take(32, "requester nonce"), 32, out.requester_nonce.begin());
    r.u8("request slot");

    if (r.u8("response version") != kSpdmVersion11) invalid("response is not SPDM 1.1");
    if (r.u8("response code") != kMeasurements) invalid("response is not MEASUREMENTS");
    r.u8("response param1");
    r.u8("response param2");
    out.measurement_blocks = r.u8("number of blocks");
    const uint32_t record_length = r.le(3, "record length");
    r.need(record_length, "measurement record");
    read_measurement_record(r, out.measurement_blocks, record_length, out);
    r.take(32, "responder nonce");
    const uint32_t opaque_length = r.le(2, "opaque length");
    read_opaque_data(r.take(opaque_length, "opaque data"), opaque_length, out);
    if (r.pos() != out.signed_length) invalid("unexpected bytes between opaque data and signature");
    return out;
}

}  // namespace vep::nvidia
