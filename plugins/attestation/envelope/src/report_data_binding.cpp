// REPORTDATA key and nonce binding (see report_data_binding.hpp).
#include "report_data_binding.hpp"

#include <openssl/crypto.h>
#include <openssl/sha.h>

#include <algorithm>

#include "vep/hex.hpp"
#include "vep/sdk.hpp"

namespace vep::envelope {
namespace {

std::array<uint8_t, 32> sha256(const void *data, size_t len) {
    std::array<uint8_t, 32> out{};
    SHA256(static_cast<const unsigned char *>(data), len, out.data());
    return out;
}

bool starts_with(const std::array<uint8_t, 64> &rd, const uint8_t *prefix, size_t len) {
    return CRYPTO_memcmp(rd.data(), prefix, len) == 0;
}

}  // namespace

ReportDataBinding check_report_data_binding(const std::array<uint8_t, 64> &report_data,
                                            const std::vector<uint8_t> &public_key, const std::string &address,
                                            const std::string &nonce_hex) {
    ReportDataBinding binding;
    const auto address_bytes = hex::decode(hex::strip_0x(address));
    if (!address_bytes || address_bytes->size() != 20)
        throw Failure("attestation_invalid_signing_key", "signing address is not 20 bytes");
    const auto key_digest = sha256(public_key.data(), public_key.size());
    const auto address_digest = sha256(address.data(), address.size());
    if (starts_with(report_data, address_bytes->data(), 20)) {
        if (!std::all_of(report_data.begin() + 20, report_data.begin() + 32, [](uint8_t b) { return b == 0; }))
            throw Failure("attestation_invalid_tdx_evidence",
                          "TDX report data: bytes 20..32 after the signing address are not zero");
        binding.key_binding = "raw";
    } else if (starts_with(report_data, key_digest.data(), 32) || starts_with(report_data, address_digest.data(), 32)) {
        binding.key_binding = "sha256";
    } else {
        throw Failure("attestation_invalid_tdx_evidence", "TDX report data does not bind the signing key");
    }
    const auto nonce = hex::decode(nonce_hex);
    const auto nonce_digest = sha256(nonce_hex.data(), nonce_hex.size());
    const uint8_t *tail = report_data.data() + 32;
    if (nonce && nonce->size() == 32 && CRYPTO_memcmp(tail, nonce->data(), 32) == 0)
        binding.nonce_binding = "raw";
    else if (CRYPTO_memcmp(tail, nonce_digest.data(), 32) == 0)
        binding.nonce_binding = "sha256";
    else
        throw Failure("attestation_nonce_mismatch", "TDX report data does not carry the request nonce");
    return binding;
}

}  // namespace vep::envelope
