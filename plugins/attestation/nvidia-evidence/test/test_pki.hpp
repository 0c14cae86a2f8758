// Test PKI for the nvidia-evidence depth checks, generated with OpenSSL at test time (P-384).
//
// Owns: certificate and key generation (a self-signed root, CAs, a GPU-like leaf carrying the TCG
// DICE TcbInfo extension with a given FWID, an OCSP URL in Authority Information Access), the
// GPU evidence re-signed by a test leaf, the signed RIM envelope ("vep-rim-v1"), a signed SWID RIM
// (NVIDIA's format) and OCSP
// responses signed by an issuer. Callers: rim_test.cpp and ocsp_test.cpp.
#pragma once

#include <openssl/evp.h>
#include <openssl/ocsp.h>
#include <openssl/x509.h>

#include <chrono>
#include <cstdint>
#include <map>
#include <set>
#include <memory>
#include <string>
#include <vector>

#include "fake_pccs.hpp"
#include "vep/json.hpp"

namespace nvidia_test {

struct TestCert {
    std::shared_ptr<X509> cert;
    std::shared_ptr<EVP_PKEY> key;
    std::string pem() const;
    std::string sha256() const;  // lowercase hex of the DER
};

// A P-384 certificate valid 2020-09-13 .. 2100-01-01, self-signed when `issuer` is null; with an
// AIA OCSP URL when `ocsp_url` is not empty and a TCG DICE TcbInfo extension ending with
// `dice_fwid` when that is not empty.
TestCert make_cert(const std::string &common_name, const TestCert *issuer, bool ca = true, const std::string &ocsp_url = "",
                   const std::vector<uint8_t> &dice_fwid = {});

// A canned response of the 127.0.0.1 test server.
tdx_test::FakePccs::Response canned(int status, std::string body = "",
                                    std::chrono::milliseconds delay = std::chrono::milliseconds(0));

// A GPU chain (leaf, device, ICA, root) whose leaf carries `fwid`; CAs list `ocsp_base` + "/<n>"
// as their certificates' OCSP URL: the device certificate "/device", the ICA "/ica".
struct GpuPki {
    TestCert root, ica, device, leaf;
    std::string chain_pem() const;  // leaf first
};
GpuPki make_gpu_pki(const std::vector<uint8_t> &fwid, const std::string &ocsp_base);

// `evidence` with its last 96 bytes replaced by an ECDSA-P384-SHA384 r||s signature by `key`.
std::vector<uint8_t> resign_evidence(std::vector<uint8_t> evidence, EVP_PKEY *key);

// A "vep-rim-v1" envelope around `payload` (exact bytes), signed by `signer` with `chain_pem`.
std::string signed_rim(const std::string &payload, const TestCert &signer, const std::string &chain_pem);

// A RIM in NVIDIA's format: SWID XML with `version` as colloquialVersion, every index of `golden`
// an active measurement with its values as Hash0.., and an enveloped XMLDSig signature (Canonical
// XML 1.1, SHA-384, ECDSA-P384) by `signer` carrying `chain` (signer first, root last);
// `extra_payload` is added inside the Payload as written (signed too).
std::string signed_swid_rim(const std::string &version, const std::map<unsigned, std::set<std::vector<uint8_t>>> &golden,
                            const TestCert &signer, const std::vector<const TestCert *> &chain,
                            const std::string &extra_payload = "");

// The payload of a RIM whose golden values are `blocks` (index -> value) at `indices`.
std::string rim_payload(const std::string &rim_id, const std::string &component, const std::string &version,
                        const std::vector<std::pair<unsigned, std::vector<uint8_t>>> &golden);

// A DER OCSP response for `cert` issued by `issuer`, signed by `issuer`'s key.
// status: V_OCSP_CERTSTATUS_GOOD / _REVOKED / _UNKNOWN.
std::string ocsp_response(const TestCert &cert, const TestCert &issuer, int status, int64_t this_update,
                          int64_t next_update, int64_t revoked_at = 0);

}  // namespace nvidia_test
