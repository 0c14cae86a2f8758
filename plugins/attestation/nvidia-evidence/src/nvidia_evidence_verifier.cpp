// GPU evidence verification sequence (see nvidia_evidence_verifier.hpp).
#include "nvidia_evidence_verifier.hpp"

#include <openssl/crypto.h>

#include <ctime>
#include <optional>
#include <set>

#include "gpu_certificate_chain.hpp"
#include "nvidia_payload.hpp"
#include "p384_signature.hpp"
#include "rim_comparison.hpp"
#include "rim_reader.hpp"
#include "spdm_measurements.hpp"
#include "vep/hex.hpp"
#include "vep/text.hpp"

namespace vep::nvidia {
namespace {

using attestation::CheckLog;
using attestation::NvidiaRequirement;

constexpr const char *kVerifier = "nvidia-evidence";

void set_status(json::Value &report, const PluginConfig &config, const std::string &status, std::optional<size_t> gpus,
                const std::string &arch) {
    json::Value nvidia = json::Value::object();
    nvidia.set("status", status);
    if (gpus) nvidia.set("gpus", static_cast<uint64_t>(*gpus));
    if (!arch.empty()) nvidia.set("arch", arch);
    nvidia.set("rim", config.rim.required ? "required" : "off");
    nvidia.set("revocation", config.ocsp ? "ocsp" : "off");
    report.set("nvidia", std::move(nvidia));
}

std::string join(const std::vector<std::string> &parts) {
    std::string out;
    for (const auto &part : parts) out += (out.empty() ? "" : "; ") + part;
    return out;
}

}  // namespace

NvidiaEvidenceVerifier::NvidiaEvidenceVerifier(const json::Value &config) : config_(PluginConfig::parse(config)) {
    if (config_.rim.required) rims_ = std::make_unique<RimStore>(config_.rim.directory, config_.rim.service_url, config_.rim.timeout);
    if (config_.ocsp) ocsp_ = std::make_unique<OcspChecker>(config_.ocsp_settings);
}

void NvidiaEvidenceVerifier::verify(const AttestationInput &in, json::Value &report) {
    CheckLog log(kVerifier, report);
    attestation::check_request_nonce(log, in.nonce_hex);
    const json::Value root = attestation::parse_evidence(log, "nvidia_payload", in.evidence_json);
    if (!root.is_object()) log.fail("nvidia_payload", "attestation_malformed_response", "attestation body is not a JSON object");

    const json::Value *raw = root.find("nvidia_payload");
    if (!raw || raw->is_null()) {
        if (config_.policy.require_nvidia == NvidiaRequirement::Required)
            log.fail("nvidia_payload", "attestation_missing_nvidia_evidence",
                     "require_nvidia is \"required\" but the response has no nvidia_payload");
        log.pass("nvidia_payload", "no NVIDIA evidence");
        set_status(report, config_, "not-present", std::nullopt, "");
        return;
    }
    if (config_.policy.require_nvidia == NvidiaRequirement::Never) {
        log.pass("nvidia_payload", "NVIDIA evidence ignored (require_nvidia never)");
        set_status(report, config_, "ignored", std::nullopt, "");
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
        if (config_.policy.require_nvidia == NvidiaRequirement::Required)
            log.fail("nvidia_gpus", "attestation_missing_nvidia_evidence", "nvidia_payload has an empty evidence_list");
        log.pass("nvidia_gpus", "empty evidence_list: no GPU evidence");
        set_status(report, config_, "not-present", 0, payload.arch);
        return;
    }
    int64_t now = config_.verification_time ? *config_.verification_time : in.now_unix;
    if (now <= 0) now = Host::instance().now_unix();
    if (now <= 0) now = static_cast<int64_t>(std::time(nullptr));
    const size_t gpus = verify_gpus(log, payload, std::string(in.nonce_hex), now);
    set_status(report, config_, "verified", gpus, payload.arch);
}

size_t NvidiaEvidenceVerifier::verify_gpus(CheckLog &log, const NvidiaPayload &payload, const std::string &nonce_hex,
                                           int64_t now) const {
    const std::vector<uint8_t> nonce = *hex::decode(nonce_hex);
    std::set<std::string> seen_leaves;  // leaf DER bytes
    for (size_t i = 0; i < payload.gpus.size(); ++i) {
        const GpuEvidence &gpu = payload.gpus[i];
        const std::string name = "gpu[" + std::to_string(i) + "]";
        std::string check = name;
        try {
            const SpdmMeasurements spdm = parse_spdm_measurements(gpu.evidence);
            if (CRYPTO_memcmp(spdm.requester_nonce.data(), nonce.data(), 32) != 0)
                throw Failure("attestation_nonce_mismatch", "GPU evidence was requested with another nonce");
            const VerifiedGpuChain chain = verify_gpu_certificate_chain(gpu.certificate_chain_pem, config_.root_sha256, now);
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
            if (rims_) compare_with_rims(log, name, spdm, gpu.arch.empty() ? payload.arch : gpu.arch, now, check);
            if (ocsp_) {
                check = name + ".revocation";
                // The leaf (GSP FMC alias key) is derived by the GPU at boot and has no OCSP
                // entry; its issuer, the per-device certificate, and everything above it do.
                const OcspChecker::Result result = ocsp_->check(chain.chain, 1, now);
                const std::string detail = std::to_string(result.checked) + " certificates checked by OCSP";
                if (result.warnings.empty()) log.pass(check, detail + ", none revoked");
                else log.warn(check, detail + "; " + join(result.warnings));
            }
        } catch (const Failure &f) {
            log.fail(check, f.code(), check + ": " + f.what());
        }
    }
    return payload.gpus.size();
}

void NvidiaEvidenceVerifier::compare_with_rims(CheckLog &log, const std::string &name, const SpdmMeasurements &spdm,
                                               const std::string &arch, int64_t now, std::string &check) const {
    const auto load = [&](const std::string &id, const char *component) {
        SignedRim rim = read_rim(rims_->text(id), id, component, config_.rim.root_sha256, now);
        log.pass(check, id + " signed by " + rim.signer_subject + " (root " + rim.root_sha256.substr(0, 16) + "…), " +
                            std::to_string(rim.measurements.size()) + " golden measurements");
        return rim;
    };
    check = name + ".rim_driver";
    const SignedRim driver = load(driver_rim_id(spdm, arch), "driver");
    check = name + ".rim_vbios";
    const SignedRim vbios = load(vbios_rim_id(spdm), "vbios");
    check = name + ".measurements";
    const RimMatch match = vep::nvidia::compare_with_rims(spdm, driver, vbios);
    log.pass(check, std::to_string(match.driver_measurements) + " driver and " + std::to_string(match.vbios_measurements) +
                        " VBIOS golden measurements match (driver " + spdm.driver_version + ", VBIOS " +
                        vbios_version_text(spdm) + "): measured firmware and configuration as released");
    // What NVIDIA's verifiers report as secboot / dbgstat: both follow from the golden match.
    log.pass(name + ".secure_boot", "the GPU booted the firmware NVIDIA released (its measurements match the RIMs)");
    log.pass(name + ".debug_disabled", "the measured configuration is NVIDIA's released one, which has debug disabled");
}

}  // namespace vep::nvidia
