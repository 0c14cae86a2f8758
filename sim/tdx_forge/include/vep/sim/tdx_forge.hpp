// Forges Intel TDX DCAP quotes signed end to end by a test PKI (never by Intel).
//
// Owns: the byte layout of a TDX quote (v4 and v5) as a *producer*: header, TD report body,
// quote signature by the attestation key, QE report signed by the PCK leaf, QE auth data, and the
// type-5 PCK certificate chain. Called by venice-sim (to serve /tee/attestation) and by the
// tdx-dcap plugin tests. The committed test PKI (tests/data/tdx-test-pki/) is embedded at build
// time, so an installed simulator needs no data files.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace vep::sim::tdx {

// What the forged TD report says. `version` is 4 (TD 1.0 body at offset 48) or 5 (6-byte body
// descriptor, TD 1.5 body at offset 54); `debug` sets TDATTRIBUTES bit 0.
struct QuoteSpec {
    std::array<uint8_t, 64> report_data{};
    bool debug = false;
    uint16_t version = 4;
    std::array<uint8_t, 48> mr_td{};
    std::array<std::array<uint8_t, 48>, 4> rtmr{};
    std::array<uint8_t, 48> mr_config_id{};
};

// The PEM texts a quote is forged with: the chain (root, PCK CA, PCK leaf), the PCK leaf's private
// key (signs the QE report) and the attestation private key (signs the quote).
struct SigningPki {
    std::string root_ca_pem;
    std::string pck_ca_pem;
    std::string pck_leaf_pem;
    std::string pck_leaf_key_pem;
    std::string attestation_key_pem;
};

// The committed test PKI (tests/data/tdx-test-pki/), embedded at build time.
const SigningPki &test_pki();

// A complete TDX quote signed by the test PKI. Throws std::invalid_argument for a version other
// than 4 or 5 and std::runtime_error when OpenSSL fails.
std::vector<uint8_t> forge_quote(const QuoteSpec &spec);
// The same with another PKI (tests use it to build a chain under an untrusted root).
std::vector<uint8_t> forge_quote(const QuoteSpec &spec, const SigningPki &pki);

// SHA-256 of the test root certificate's DER, 64 lowercase hex chars (to pin in configs).
std::string test_root_ca_sha256_hex();
std::string test_root_ca_pem();

}  // namespace vep::sim::tdx
