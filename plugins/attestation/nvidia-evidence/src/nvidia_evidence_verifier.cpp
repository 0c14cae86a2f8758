// GPU evidence verification sequence (see nvidia_evidence_verifier.hpp).
#include "nvidia_evidence_verifier.hpp"

#include <openssl/crypto.h>

#include <ctime>

#include "gpu_certificate_chain.hpp"
#include "nvidia_payload.hpp"
#include "p384_signature.hpp"
#include "spdm_measurements.hpp"
#include "vep/attestation/timestamp.hpp"
#include "vep/hex.hpp"
#include "vep/text.hpp"

namespace vep::nvidia {
namespace {

using attestation::CheckLog;
using attestation::NvidiaRequirement;

constexpr const char *kVerifier = "nvidia-evidence";

std::set<std::string> read_pins(const json::Value &config) {
    const json::Value *v = config.find("root_ca_sha256");
    if (!v || v->is_null()) return {kNvidiaDeviceIdentityRootSha256};
    if (!v->is_array() || v->as_array().empty())
        throw Failure("invalid_config", "root_ca_sha256 must be a non-empty array of SHA-256 fingerprints");
    std::set<std::string> pins;
    for (const auto &pin : v->as_array()) {
        if (!pin.is_string()) throw Failure("invalid_config", "root_ca_sha256 entries must be strings");
        std::string fingerprint = to_lower_ascii(trim_ascii(pin.as_string()));
        std::erase(fingerprint, ':');
        if (fingerprint.size() != 64 || !hex::is_hex(fingerprint))
            throw Failure("invalid_config", "root_ca_sha256 entry is not 64 hex characters: " + pin.as_string());
        pins.insert(fingerprint);
    }
    return pins;
}

void set_status(json::Value &report, const std::string &status, std::optional<size_t> gpus, const std::string &arch) {
    json::Value nvidia = json::Value::object();
    nvidia.set("status", status);
    if (gpus) nvidia.set("gpus", static_cast<uint64_t>(*gpus));
    if (!arch.empty()) nvidia.set("arch", arch);
    report.set("nvidia", std::move(nvidia));
}

}  // namespace

NvidiaEvidenceVerifier::NvidiaEvidenceVerifier(const json::Value &config)
    : policy_(attestation::parse_attestation_policy(config)), pinned_roots_(read_pins(config)) {
    attestation::reject_unknown_config_keys(config, {"root_ca_sha256", "verification_time"});
    if (const json::Value *v = config.find("verification_time"); v && !v->is_null()) {
        verification_time_ = attestation::parse_timestamp(*v);
        if (!verification_time_ || *verification_time_ <= 0)
            throw Failure("invalid_config", "verification_time must be Unix seconds or an RFC 3339 time");
    }
}

void NvidiaEvidenceVerifier::verify(const AttestationInput &in, json::Value &report) {
    CheckLog log(kVerifier, report);
    attestation::check_request_nonce(log, in.nonce_hex);
    const json::Value root = attestation::parse_evidence(log, "nvidia_payload", in.evidence_json);
    if (!root.is_object()) log.fail("nvidia_payload", "attestation_malformed_response", "attestation body is not a JSON object");

    const json::Value *raw = root.find("nvidia_payload");
    if (!raw || raw->is_null()) {
        if (policy_.require_nvidia == NvidiaRequirement::Required)
            log.fail("nvidia_payload", "attestation_missing_nvidia_evidence",
                     "require_nvidia is \"required\" but the response has no nvidia_payload");
        log.pass("nvidia_payload", "no NVIDIA evidence");
        set_status(report, "not-present", std::nullopt, "");
        return;
    }
    if (policy_.require_nvidia == NvidiaRequirement::Never) {
        log.pass("nvidia_payload", "NVIDIA evidence ignored (require_nvidia never)");
        set_status(report, "ignored", std::nullopt, "");
        return;
    }

    NvidiaPayload payload;
    try {
        payload = parse_nvidia_payload(*raw);
    } catch (const Failure &f) {
        log.fail("nvidia_payload", f.code(), f.what());
    }
    if (to_lower_ascii(trim_ascii(payload.nonce)) != in.nonce_hex)
        log.fail("nvidia_payload", "attestation_nonce_mismatch", "nvidia_payload nonce does not match the request nonce");
    log.pass("nvidia_payload", std::to_string(payload.gpus.size()) + " GPU evidence entries, nonce matches");

    if (payload.gpus.empty()) {
        if (policy_.require_nvidia == NvidiaRequirement::Required)
            log.fail("nvidia_gpus", "attestation_missing_nvidia_evidence", "nvidia_payload has an empty evidence_list");
        log.pass("nvidia_gpus", "empty evidence_list: no GPU evidence");
        set_status(report, "not-present", 0, payload.arch);
        return;
    }
    int64_t now = verification_time_ ? *verification_time_ : in.now_unix;
    if (now <= 0) now = Host::instance().now_unix();
    if (now <= 0) now = static_cast<int64_t>(std::time(nullptr));
    const size_t gpus = verify_gpus(log, payload, std::string(in.nonce_hex), now);
    set_status(report, "verified", gpus, payload.arch);
}

size_t NvidiaEvidenceVerifier::verify_gpus(CheckLog &log, const NvidiaPayload &payload, const std::string &nonce_hex,
                                           int64_t now) const {
    const std::vector<uint8_t> nonce = *hex::decode(nonce_hex);
    std::set<std::string> seen_leaves;  // leaf DER bytes
    for (size_t i = 0; i < payload.gpus.size(); ++i) {
        const GpuEvidence &gpu = payload.gpus[i];
        const std::string name = "gpu[" + std::to_string(i) + "]";
        try {
            const SpdmMeasurements spdm = parse_spdm_measurements(gpu.evidence);
            if (CRYPTO_memcmp(spdm.requester_nonce.data(), nonce.data(), 32) != 0)
                throw Failure("attestation_nonce_mismatch", "GPU evidence was requested with another nonce");
            const VerifiedGpuChain chain = verify_gpu_certificate_chain(gpu.certificate_chain_pem, pinned_roots_, now);
            if (!verify_p384_sha384(chain.leaf_key.get(), gpu.evidence.data(), spdm.signed_length, spdm.signature))
                throw Failure("attestation_invalid_nvidia_evidence",
                              "GPU evidence signature does not verify with the leaf certificate key");
            if (!spdm.fwid || *spdm.fwid != chain.leaf_fwid)
                throw Failure("attestation_invalid_nvidia_evidence",
                              "GPU firmware ID in the evidence does not match the leaf certificate");
            if (!seen_leaves.insert(std::string(chain.leaf_der.begin(), chain.leaf_der.end())).second)
                throw Failure("attestation_invalid_nvidia_evidence", "the same GPU appears twice in evidence_list");
            log.pass(name, "signature, chain to pinned root, nonce and FWID verified (" + chain.leaf_subject +
                               (spdm.driver_version.empty() ? "" : ", driver " + spdm.driver_version) + ")");
        } catch (const Failure &f) {
            log.fail(name, f.code(), name + ": " + f.what());
        }
    }
    return payload.gpus.size();
}

}  // namespace vep::nvidia
