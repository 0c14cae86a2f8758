// The Intel SGX extension of a PCK certificate (see pck_extension.hpp).
#include "pck_extension.hpp"

#include <openssl/asn1.h>
#include <openssl/objects.h>

#include <cstring>
#include <memory>
#include <span>

namespace vep::tdx_dcap {
namespace {

using Bytes = std::span<const uint8_t>;

// DER encodings (contents only) of the OIDs under 1.2.840.113741.1.13.1.
constexpr uint8_t kSgxOidPrefix[] = {0x2a, 0x86, 0x48, 0x86, 0xf8, 0x4d, 0x01, 0x0d, 0x01};

// One DER TLV.
struct Tlv {
    uint8_t tag = 0;
    Bytes value;
};

// Reads TLVs one after another from `data`; fails (returns false) on any malformed length.
class DerReader {
  public:
    explicit DerReader(Bytes data) : data_(data) {}
    bool done() const { return off_ == data_.size(); }
    bool next(Tlv &out) {
        if (data_.size() - off_ < 2) return false;
        out.tag = data_[off_];
        size_t len = data_[off_ + 1];
        size_t pos = off_ + 2;
        if (len & 0x80) {
            const size_t n = len & 0x7f;
            if (n == 0 || n > 3 || data_.size() - pos < n) return false;
            len = 0;
            for (size_t i = 0; i < n; ++i) len = (len << 8) | data_[pos + i];
            pos += n;
        }
        if (data_.size() - pos < len) return false;
        out.value = data_.subspan(pos, len);
        off_ = pos + len;
        return true;
    }

  private:
    Bytes data_;
    size_t off_ = 0;
};

constexpr uint8_t kSequence = 0x30, kOid = 0x06, kInteger = 0x02, kOctetString = 0x04;

// The arc after the SGX prefix: {1} for ...13.1.1, {2, 17} for ...13.1.2.17; empty if foreign.
std::optional<std::pair<uint8_t, uint8_t>> sgx_arc(Bytes oid) {
    if (oid.size() < sizeof kSgxOidPrefix + 1 || std::memcmp(oid.data(), kSgxOidPrefix, sizeof kSgxOidPrefix) != 0)
        return std::nullopt;
    const Bytes rest = oid.subspan(sizeof kSgxOidPrefix);
    if (rest.size() == 1 && rest[0] < 0x80) return std::make_pair(rest[0], uint8_t{0});
    if (rest.size() == 2 && rest[0] < 0x80 && rest[1] < 0x80) return std::make_pair(rest[0], rest[1]);
    return std::nullopt;
}

bool small_uint(const Tlv &tlv, uint32_t &out) {
    if (tlv.tag != kInteger || tlv.value.empty() || tlv.value.size() > 5 || (tlv.value[0] & 0x80)) return false;
    uint64_t v = 0;
    for (uint8_t b : tlv.value) v = (v << 8) | b;
    if (v > 0xffffffffu) return false;
    out = static_cast<uint32_t>(v);
    return true;
}

// Parses the TCB SEQUENCE (…13.1.2): components 1..16 and PCESVN (17).
bool parse_tcb(Bytes seq, PckExtension &ext) {
    DerReader r(seq);
    unsigned seen = 0;
    Tlv item;
    while (!r.done()) {
        if (!r.next(item) || item.tag != kSequence) return false;
        DerReader pair(item.value);
        Tlv oid, value;
        if (!pair.next(oid) || oid.tag != kOid || !pair.next(value) || !pair.done()) return false;
        const auto arc = sgx_arc(oid.value);
        if (!arc || arc->first != 2) continue;
        const uint8_t index = arc->second;
        if (index >= 1 && index <= 16) {
            if (!small_uint(value, ext.sgx_tcb_svn[index - 1])) return false;
            seen |= 1u << (index - 1);
        } else if (index == 17) {
            if (!small_uint(value, ext.pce_svn)) return false;
            seen |= 1u << 16;
        }
    }
    return seen == 0x1ffff;
}

}  // namespace

std::optional<PckExtension> parse_pck_extension(X509 *pck_leaf) {
    std::unique_ptr<ASN1_OBJECT, decltype(&ASN1_OBJECT_free)> oid(OBJ_txt2obj("1.2.840.113741.1.13.1", 1),
                                                                  &ASN1_OBJECT_free);
    if (!oid) return std::nullopt;
    const int index = X509_get_ext_by_OBJ(pck_leaf, oid.get(), -1);
    if (index < 0) return std::nullopt;
    const ASN1_OCTET_STRING *data = X509_EXTENSION_get_data(X509_get_ext(pck_leaf, index));
    if (!data) return std::nullopt;
    DerReader outer(Bytes(ASN1_STRING_get0_data(data), static_cast<size_t>(ASN1_STRING_length(data))));
    Tlv top;
    if (!outer.next(top) || top.tag != kSequence || !outer.done()) return std::nullopt;

    PckExtension ext;
    bool has_fmspc = false, has_pce_id = false, has_tcb = false;
    DerReader r(top.value);
    Tlv item;
    while (!r.done()) {
        if (!r.next(item) || item.tag != kSequence) return std::nullopt;
        DerReader pair(item.value);
        Tlv key, value;
        if (!pair.next(key) || key.tag != kOid || !pair.next(value)) return std::nullopt;
        const auto arc = sgx_arc(key.value);
        if (!arc || arc->second != 0) continue;
        switch (arc->first) {
        case 2:
            if (value.tag != kSequence || !parse_tcb(value.value, ext)) return std::nullopt;
            has_tcb = true;
            break;
        case 3:
            if (value.tag != kOctetString || value.value.size() != 2) return std::nullopt;
            std::copy(value.value.begin(), value.value.end(), ext.pce_id.begin());
            has_pce_id = true;
            break;
        case 4:
            if (value.tag != kOctetString || value.value.size() != 6) return std::nullopt;
            std::copy(value.value.begin(), value.value.end(), ext.fmspc.begin());
            has_fmspc = true;
            break;
        default: break;
        }
    }
    if (!has_fmspc || !has_pce_id || !has_tcb) return std::nullopt;
    return ext;
}

}  // namespace vep::tdx_dcap
