// Builds TDX quotes byte by byte and signs them with OpenSSL 3 (see tdx_forge.hpp).
#include "vep/sim/tdx_forge.hpp"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <memory>
#include <stdexcept>
#include <string_view>

#include "vep/hex.hpp"
#include "vep/sim/tdx_test_pki_pem.hpp"

namespace vep::sim::tdx {
namespace {

using Bytes = std::vector<uint8_t>;

constexpr uint16_t kAttestationKeyTypeEcdsaP256 = 2;
constexpr uint32_t kTeeTypeTdx = 0x81;
constexpr std::array<uint8_t, 16> kIntelQeVendorId = {0x93, 0x9a, 0x72, 0x33, 0xf7, 0x9c, 0x4c, 0xa9,
                                                      0x94, 0x0a, 0x0d, 0xb3, 0x95, 0x7f, 0x06, 0x07};
// MRSIGNER of Intel's TD quoting enclave, copied into the forged QE report.
constexpr std::array<uint8_t, 32> kTdQeMrSigner = {0xdc, 0x9e, 0x2a, 0x7c, 0x6f, 0x94, 0x8f, 0x17, 0x47, 0x4e, 0x34,
                                                   0xa7, 0xfc, 0x43, 0xed, 0x03, 0x0f, 0x7c, 0x15, 0x63, 0xf1, 0xba,
                                                   0xbd, 0xdf, 0x63, 0x40, 0xc8, 0x2e, 0x0e, 0x54, 0xa8, 0xc5};
constexpr uint16_t kTdBodyType15 = 3;
constexpr size_t kTdBody10Size = 584;
constexpr size_t kTdBody15Size = 648;
constexpr size_t kQeReportSize = 384;
constexpr uint16_t kCertDataQeReport = 6;
constexpr uint16_t kCertDataPckChain = 5;
constexpr uint64_t kTdAttrSeptVeDisable = uint64_t{1} << 28;
constexpr uint64_t kTdAttrDebug = 1;
constexpr uint64_t kXfam = 0x00000000000602E7;

struct PkeyFree {
    void operator()(EVP_PKEY *p) const { EVP_PKEY_free(p); }
};
struct MdCtxFree {
    void operator()(EVP_MD_CTX *p) const { EVP_MD_CTX_free(p); }
};
struct SigFree {
    void operator()(ECDSA_SIG *p) const { ECDSA_SIG_free(p); }
};
struct X509Free {
    void operator()(X509 *p) const { X509_free(p); }
};
struct BioFree {
    void operator()(BIO *p) const { BIO_free(p); }
};
using Pkey = std::unique_ptr<EVP_PKEY, PkeyFree>;

[[noreturn]] void fail(const std::string &what) { throw std::runtime_error("tdx_forge: " + what); }

std::unique_ptr<BIO, BioFree> bio_of(std::string_view pem) {
    std::unique_ptr<BIO, BioFree> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
    if (!bio) fail("BIO_new_mem_buf failed");
    return bio;
}

Pkey private_key(std::string_view pem) {
    auto bio = bio_of(pem);
    Pkey key(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
    if (!key) fail("cannot read a private key PEM");
    return key;
}

// The 64-byte X||Y of a P-256 key.
Bytes raw_public_point(EVP_PKEY *key) {
    uint8_t point[65];
    size_t len = 0;
    if (EVP_PKEY_get_octet_string_param(key, OSSL_PKEY_PARAM_PUB_KEY, point, sizeof point, &len) != 1 || len != 65 ||
        point[0] != 0x04)
        fail("attestation key is not an uncompressed P-256 point");
    return Bytes(point + 1, point + 65);
}

// ECDSA-P256-SHA256 over `data`, as raw r||s (32 bytes each, big-endian).
Bytes sign_raw(EVP_PKEY *key, const Bytes &data) {
    std::unique_ptr<EVP_MD_CTX, MdCtxFree> ctx(EVP_MD_CTX_new());
    size_t der_len = 0;
    if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key) != 1 ||
        EVP_DigestSign(ctx.get(), nullptr, &der_len, data.data(), data.size()) != 1)
        fail("EVP_DigestSign setup failed");
    Bytes der(der_len);
    if (EVP_DigestSign(ctx.get(), der.data(), &der_len, data.data(), data.size()) != 1) fail("EVP_DigestSign failed");
    const uint8_t *p = der.data();
    std::unique_ptr<ECDSA_SIG, SigFree> sig(d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(der_len)));
    if (!sig) fail("cannot decode the ECDSA signature");
    Bytes raw(64);
    if (BN_bn2binpad(ECDSA_SIG_get0_r(sig.get()), raw.data(), 32) != 32 ||
        BN_bn2binpad(ECDSA_SIG_get0_s(sig.get()), raw.data() + 32, 32) != 32)
        fail("ECDSA signature component too large");
    return raw;
}

std::array<uint8_t, 32> sha256(const Bytes &data) {
    std::array<uint8_t, 32> out{};
    unsigned int len = 0;
    if (EVP_Digest(data.data(), data.size(), out.data(), &len, EVP_sha256(), nullptr) != 1 || len != 32)
        fail("SHA-256 failed");
    return out;
}

void put_u16(Bytes &out, uint16_t v) {
    out.push_back(static_cast<uint8_t>(v));
    out.push_back(static_cast<uint8_t>(v >> 8));
}
void put_u32(Bytes &out, uint32_t v) {
    for (int i = 0; i < 4; ++i) out.push_back(static_cast<uint8_t>(v >> (8 * i)));
}
void put_u64(Bytes &out, uint64_t v) {
    for (int i = 0; i < 8; ++i) out.push_back(static_cast<uint8_t>(v >> (8 * i)));
}
template <size_t N>
void put(Bytes &out, const std::array<uint8_t, N> &bytes) {
    out.insert(out.end(), bytes.begin(), bytes.end());
}
void put(Bytes &out, const Bytes &bytes) { out.insert(out.end(), bytes.begin(), bytes.end()); }
void put_zeros(Bytes &out, size_t n) { out.insert(out.end(), n, 0); }
void put_fill(Bytes &out, size_t n, uint8_t value) { out.insert(out.end(), n, value); }

// Header (48 bytes).
void put_header(Bytes &out, uint16_t version) {
    put_u16(out, version);
    put_u16(out, kAttestationKeyTypeEcdsaP256);
    put_u32(out, kTeeTypeTdx);
    put_zeros(out, 4);
    put(out, kIntelQeVendorId);
    put_fill(out, 16, 0x7e);  // platform/QE id of the forged platform
    put_zeros(out, 4);
}

// TD report body: TD 1.0 (584 bytes) for v4, TD 1.5 (648 bytes) for v5.
void put_td_report_body(Bytes &out, const QuoteSpec &spec) {
    const size_t start = out.size();
    const std::array<uint8_t, 16> tee_tcb_svn = {0x06, 0x01, 0x03};
    put(out, tee_tcb_svn);
    put_fill(out, 48, 0x5e);  // MRSEAM
    put_zeros(out, 48);       // MRSIGNERSEAM (Intel-signed module)
    put_zeros(out, 8);        // SEAMATTRIBUTES
    put_u64(out, kTdAttrSeptVeDisable | (spec.debug ? kTdAttrDebug : 0));
    put_u64(out, kXfam);
    put(out, spec.mr_td);
    put(out, spec.mr_config_id);
    put_zeros(out, 48);  // MROWNER
    put_zeros(out, 48);  // MROWNERCONFIG
    for (const auto &rtmr : spec.rtmr) put(out, rtmr);
    put(out, spec.report_data);
    if (spec.version == 5) {
        put(out, tee_tcb_svn);  // TEE_TCB_SVN2
        put_zeros(out, 48);     // MRSERVICETD
    }
    if (out.size() - start != (spec.version == 5 ? kTdBody15Size : kTdBody10Size)) fail("TD report body size");
}

// QE report (an SGX report body) binding the attestation key through its REPORTDATA.
Bytes qe_report(const Bytes &attestation_key, const Bytes &qe_auth_data) {
    Bytes report;
    report.reserve(kQeReportSize);
    const std::array<uint8_t, 16> cpu_svn = {0x03, 0x03, 0x02, 0x02, 0x04, 0x01, 0x00, 0x05};
    put(report, cpu_svn);
    put_zeros(report, 4);   // MISCSELECT
    put_zeros(report, 28);  // reserved
    const std::array<uint8_t, 16> attributes = {0x11};
    put(report, attributes);
    put_fill(report, 32, 0x9e);  // MRENCLAVE
    put_zeros(report, 32);       // reserved
    put(report, kTdQeMrSigner);
    put_zeros(report, 96);  // reserved
    put_u16(report, 2);     // ISVPRODID: TD QE
    put_u16(report, 6);     // ISVSVN
    put_zeros(report, 60);  // reserved
    Bytes bound = attestation_key;
    put(bound, qe_auth_data);
    put(report, sha256(bound));
    put_zeros(report, 32);
    if (report.size() != kQeReportSize) fail("QE report size");
    return report;
}

}  // namespace

const SigningPki &test_pki() {
    static const SigningPki pki{embedded::kRootCaPem, embedded::kPckCaPem, embedded::kPckLeafPem,
                                embedded::kPckLeafKeyPem, embedded::kAttestationKeyPem};
    return pki;
}

std::vector<uint8_t> forge_quote(const QuoteSpec &spec) { return forge_quote(spec, test_pki()); }

std::vector<uint8_t> forge_quote(const QuoteSpec &spec, const SigningPki &pki) {
    if (spec.version != 4 && spec.version != 5)
        throw std::invalid_argument("tdx_forge: quote version must be 4 or 5");
    const Pkey attestation_key = private_key(pki.attestation_key_pem);
    const Pkey pck_leaf_key = private_key(pki.pck_leaf_key_pem);

    Bytes quote;
    put_header(quote, spec.version);
    if (spec.version == 5) {
        put_u16(quote, kTdBodyType15);
        put_u32(quote, static_cast<uint32_t>(kTdBody15Size));
    }
    put_td_report_body(quote, spec);

    const Bytes quote_signature = sign_raw(attestation_key.get(), quote);
    const Bytes attestation_public = raw_public_point(attestation_key.get());
    Bytes qe_auth_data;
    for (uint8_t i = 0; i < 32; ++i) qe_auth_data.push_back(i);
    const Bytes report = qe_report(attestation_public, qe_auth_data);
    const Bytes report_signature = sign_raw(pck_leaf_key.get(), report);
    std::string chain = pki.pck_leaf_pem + pki.pck_ca_pem + pki.root_ca_pem;
    chain.push_back('\0');  // real quotes end the PEM blob with a NUL byte

    Bytes qe_cert_data;
    put(qe_cert_data, report);
    put(qe_cert_data, report_signature);
    put_u16(qe_cert_data, static_cast<uint16_t>(qe_auth_data.size()));
    put(qe_cert_data, qe_auth_data);
    put_u16(qe_cert_data, kCertDataPckChain);
    put_u32(qe_cert_data, static_cast<uint32_t>(chain.size()));
    qe_cert_data.insert(qe_cert_data.end(), chain.begin(), chain.end());

    Bytes signature_data;
    put(signature_data, quote_signature);
    put(signature_data, attestation_public);
    put_u16(signature_data, kCertDataQeReport);
    put_u32(signature_data, static_cast<uint32_t>(qe_cert_data.size()));
    put(signature_data, qe_cert_data);

    put_u32(quote, static_cast<uint32_t>(signature_data.size()));
    put(quote, signature_data);
    return quote;
}

std::string test_root_ca_pem() { return test_pki().root_ca_pem; }

std::string test_root_ca_sha256_hex() {
    auto bio = bio_of(test_pki().root_ca_pem);
    std::unique_ptr<X509, X509Free> cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
    if (!cert) fail("cannot read the embedded test root certificate");
    uint8_t digest[32];
    unsigned int len = 0;
    if (X509_digest(cert.get(), EVP_sha256(), digest, &len) != 1 || len != 32) fail("X509_digest failed");
    return vep::hex::encode(digest, sizeof digest);
}

}  // namespace vep::sim::tdx
