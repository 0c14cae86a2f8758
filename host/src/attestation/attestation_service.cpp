// See attestation_service.hpp.
#include "attestation/attestation_service.hpp"

#include <algorithm>
#include <stdexcept>

#include <openssl/rand.h>
#include <openssl/sha.h>

#include "errors/proxy_error.hpp"
#include "log/log.hpp"
#include "vep/hex.hpp"

namespace vep::host {
namespace {

std::string key_fingerprint(const std::string &public_hex) {
    unsigned char digest[SHA256_DIGEST_LENGTH];
    SHA256(reinterpret_cast<const unsigned char *>(public_hex.data()), public_hex.size(), digest);
    return hex::encode(digest, 8);
}

// Beyond this many models, new models' documents are not kept (they are still audited).
constexpr size_t kMaxKeptDocuments = 256;

}  // namespace

// What the verification document says about the round besides the report: the model, the nonce,
// the client key (its id) whose request caused the round, why an attestation was replaced, and
// whether the model is delivered tee-only.
struct AttestationService::AuditContext {
    const std::string &model;
    const std::string &nonce;
    const std::string &client_key_id;
    const std::string &reason;
    ModelMode delivery;
};

std::string fresh_attestation_nonce() {
    unsigned char bytes[32];
    if (RAND_bytes(bytes, sizeof bytes) != 1)
        throw ProxyError::of("invalid_attestation_request", "could not generate an attestation nonce");
    return hex::encode(bytes, sizeof bytes);
}

const json::Value *report_field(const json::Value &report, std::initializer_list<const char *> keys) {
    const json::Value *cur = &report;
    for (const char *k : keys) {
        cur = cur->find(k);
        if (!cur) return nullptr;
    }
    return cur;
}

void merge_report(json::Value &into, const json::Value &from) {
    if (!into.is_object() || !from.is_object()) {
        into = from;
        return;
    }
    for (const auto &m : from.as_object()) {
        json::Value *existing = into.find(m.first);
        if (!existing) {
            into.set(m.first, m.second);
        } else if (m.first == "checks" && existing->is_array() && m.second.is_array()) {
            for (const auto &c : m.second.as_array()) existing->push_back(c);
        } else if (existing->is_object() && m.second.is_object()) {
            merge_report(*existing, m.second);
        } else {
            *existing = m.second;
        }
    }
}

json::Value AttestationService::document(const AuditContext &round, const json::Value &report,
                                         const std::string &outcome, const std::string &code) const {
    json::Value doc = audit_record("attestation", "vep.verification/1", round.model);
    doc.set("nonce", round.nonce);
    if (!round.client_key_id.empty()) doc.set("client_key_id", round.client_key_id);
    if (!round.reason.empty()) doc.set("reason", round.reason);
    if (round.delivery == ModelMode::TeeOnly) doc.set("e2ee", std::string(kModeTeeOnly));
    doc.set("outcome", outcome);
    if (!code.empty()) doc.set("code", code);
    if (const json::Value *key = report.find("model_public_key"); key && key->is_string())
        doc.set("key_fingerprint", key_fingerprint(key->as_string()));
    for (const char *member : {"signing_address", "tee_provider", "freshness_not_after", "tdx", "nvidia"})
        if (const json::Value *value = report.find(member)) doc.set(member, *value);
    doc.set("checks", report.find("checks") ? *report.find("checks") : json::Value::array());
    json::Value verifiers = json::Value::array();
    for (const auto &verifier : verifiers_) verifiers.push_back(verifier.name);
    doc.set("verifiers", std::move(verifiers));
    json::Value policy = json::Value::object();
    policy.set("mode", config_.mode);
    policy.set("require_tdx", config_.require_tdx);
    policy.set("require_nvidia", config_.require_nvidia == RequireNvidia::Required      ? "required"
                                 : config_.require_nvidia == RequireNvidia::WhenPresent ? "when_present"
                                                                                        : "never");
    policy.set("allow_debug", config_.allow_debug);
    doc.set("policy", std::move(policy));
    return doc;
}

// Counts one round of a model as running while it lives (single flight for the probe). Made
// with latest_mutex_ held.
class AttestationService::RoundInFlight {
  public:
    RoundInFlight(const AttestationService &service, const std::string &model, const std::lock_guard<std::mutex> &)
        : service_(service), model_(model) {
        ++service_.rounds_in_flight_[model_];
    }
    RoundInFlight(const RoundInFlight &) = delete;
    RoundInFlight &operator=(const RoundInFlight &) = delete;
    ~RoundInFlight() {
        std::lock_guard<std::mutex> lock(service_.latest_mutex_);
        const auto it = service_.rounds_in_flight_.find(model_);
        if (--it->second == 0) service_.rounds_in_flight_.erase(it);
    }

  private:
    const AttestationService &service_;
    const std::string model_;
};

void AttestationService::record(const AuditContext &round, const json::Value &report, const std::string &outcome,
                                const std::string &code) const {
    json::Value doc = document(round, report, outcome, code);
    ModelAttestationStatus status;
    status.verified = outcome == "verified";
    status.code = code;
    if (const json::Value *time = doc.find("time")) time->get_i64(status.time);
    status.ended = std::chrono::steady_clock::now();
    {
        std::lock_guard<std::mutex> lock(latest_mutex_);
        const auto previous = latest_.find(round.model);
        status.last_verified = status.verified             ? status.time
                               : previous != latest_.end() ? previous->second.status.last_verified
                                                           : 0;
        if (!status.verified && status.last_verified > 0) doc.set("last_verified", status.last_verified);
        if (previous != latest_.end())
            previous->second = KeptRound{doc, std::move(status)};
        else if (latest_.size() < kMaxKeptDocuments)
            latest_.emplace(round.model, KeptRound{doc, std::move(status)});
    }
    audit_log_.write(doc);
    count(report, outcome, code);
}

std::optional<json::Value> AttestationService::latest_document(const std::string &model) const {
    std::lock_guard<std::mutex> lock(latest_mutex_);
    const auto it = latest_.find(model);
    if (it == latest_.end()) return std::nullopt;
    return it->second.document;
}

std::optional<ModelAttestationStatus> AttestationService::status(const std::string &model) const {
    std::lock_guard<std::mutex> lock(latest_mutex_);
    const auto it = latest_.find(model);
    if (it == latest_.end()) return std::nullopt;
    return it->second.status;
}

std::vector<std::string> AttestationService::failing_models() const {
    std::lock_guard<std::mutex> lock(latest_mutex_);
    std::vector<std::string> failing;
    for (const auto &[model, kept] : latest_)
        if (!kept.status.verified) failing.push_back(model);
    return failing;
}

ProbeOutcome AttestationService::probe(const std::string &model, ModelMode delivery,
                                       std::chrono::steady_clock::duration fresh_for) const {
    std::unique_ptr<RoundInFlight> in_flight;
    {
        std::lock_guard<std::mutex> lock(latest_mutex_);
        if (rounds_in_flight_.count(model)) return ProbeOutcome::Skipped;
        const auto kept = latest_.find(model);
        if (kept != latest_.end() && std::chrono::steady_clock::now() - kept->second.status.ended < fresh_for)
            return ProbeOutcome::Skipped;
        in_flight = std::make_unique<RoundInFlight>(*this, model, lock);
    }
    try {
        run_round(model, "", delivery, "probe");
        return ProbeOutcome::Verified;
    } catch (const ProxyError &) {
        return ProbeOutcome::Rejected;
    }
}

AttestationService::AttestationService(const AttestationConfig &config, std::vector<Verifier> verifiers,
                                       const VeniceClient *venice, AuditLog &audit_log, AttestationCounters *counters)
    : config_(config), verifiers_(std::move(verifiers)), venice_(venice), audit_log_(audit_log), counters_(counters) {}

void AttestationService::count(const json::Value &report, const std::string &outcome, const std::string &code) const {
    if (!counters_) return;
    if (const json::Value *checks = report.find("checks"); checks && checks->is_array()) {
        for (const auto &check : checks->as_array()) {
            const json::Value *verifier = check.find("verifier");
            const json::Value *name = check.find("name");
            const json::Value *ok = check.find("ok");
            if (!verifier || !verifier->is_string() || !name || !name->is_string()) continue;
            const bool passed = ok && ok->is_bool() && ok->as_bool();
            counters_->checks.add({verifier->as_string(), name->as_string(), passed ? "pass" : "fail"});
        }
    }
    counters_->rounds.add({outcome, code});
}

AttestationVerdict AttestationService::evaluate(const std::string &model, const std::string &nonce,
                                                const std::string &evidence, int64_t now_unix, json::Value report,
                                                const EvaluationScope &scope) const {
    for (const auto &name : scope.verifiers)
        if (std::none_of(verifiers_.begin(), verifiers_.end(), [&](const Verifier &v) { return v.name == name; }))
            throw std::invalid_argument("verifier " + name + " is not in attestation.verifiers");
    AttestationVerdict verdict;
    if (!report.is_object()) report = json::Value::object();
    if (!report.find("checks")) report.set("checks", json::Value::array());
    const auto reject = [&](std::string code, std::string message) {
        verdict.report = std::move(report);
        verdict.code = std::move(code);
        verdict.message = std::move(message);
        return std::move(verdict);
    };
    for (const auto &verifier : verifiers_) {
        if (!scope.verifiers.empty() &&
            std::find(scope.verifiers.begin(), scope.verifiers.end(), verifier.name) == scope.verifiers.end())
            continue;
        auto outcome = verifier.client->verify(evidence, nonce, model, report, now_unix);
        merge_report(report, outcome.report);
        if (!outcome.ok) {
            logger("proxy.attestation")
                .warning("attestation of " + model + " rejected by " + verifier.name + ": " + outcome.code);
            return reject(outcome.code, "TEE attestation verification failed: " + outcome.message);
        }
    }
    if (!scope.policy_gates) {
        verdict.report = std::move(report);
        verdict.verified = true;
        return verdict;
    }

    const auto &att = config_;
    const json::Value *tdx_verified = report_field(report, {"tdx", "verified"});
    if (att.require_tdx && !(tdx_verified && tdx_verified->is_bool() && tdx_verified->as_bool()))
        return reject("attestation_verifier_unavailable",
                      "TEE attestation verification failed: attestation.require_tdx is true but no configured "
                      "verifier (tdx-dcap) verified the TDX quote");
    const json::Value *nv_status = report_field(report, {"nvidia", "status"});
    const std::string nvidia = nv_status && nv_status->is_string() ? nv_status->as_string() : "not-present";
    const bool nvidia_needed = att.require_nvidia == RequireNvidia::Required ||
                               (att.require_nvidia == RequireNvidia::WhenPresent && nvidia != "not-present");
    if (nvidia_needed && nvidia != "verified")
        return reject("attestation_verifier_unavailable",
                      "TEE attestation verification failed: attestation.require_nvidia needs GPU evidence "
                      "verified by the nvidia-evidence verifier");

    const json::Value *key = report.find("model_public_key");
    if (!key || !key->is_string() || key->as_string().size() != 130)
        return reject("attestation_failed", "attestation verifiers did not establish the model's public key");
    if (const json::Value *not_after = report.find("freshness_not_after")) {
        int64_t t = 0;
        if (!not_after->get_i64(t) || t <= now_unix)
            return reject("attestation_evidence_stale",
                          "TEE attestation verification failed: the evidence is past its stated freshness");
    }
    verdict.report = std::move(report);
    verdict.verified = true;
    return verdict;
}

std::shared_ptr<const AttestedModel> AttestationService::attest(const std::string &model,
                                                               const std::string &client_key_id,
                                                               ModelMode delivery, const std::string &reason) const {
    const auto in_flight = [&] {
        std::lock_guard<std::mutex> lock(latest_mutex_);
        return std::make_unique<RoundInFlight>(*this, model, lock);
    }();
    return run_round(model, client_key_id, delivery, reason);
}

std::shared_ptr<const AttestedModel> AttestationService::run_round(const std::string &model,
                                                                  const std::string &client_key_id,
                                                                  ModelMode delivery, const std::string &reason) const {
    if (!venice_) throw ProxyError::of("internal_error", "attestation needs the Venice client");
    const std::string nonce = fresh_attestation_nonce();
    const AuditContext round{model, nonce, client_key_id, reason, delivery};
    std::string evidence;
    const auto fetch_started = std::chrono::steady_clock::now();
    try {
        evidence = venice_->get_attestation(model, nonce);
        if (counters_) counters_->fetch_seconds.observe(std::chrono::steady_clock::now() - fetch_started);
    } catch (const ProxyError &e) {
        record(round, json::Value::object(), "rejected", "attestation_fetch_failed");
        throw ProxyError::of("attestation_fetch_failed", std::string("TEE attestation fetch failed: ") + e.what());
    }
    const auto verified_at = Clock::now();
    AttestationVerdict verdict = evaluate(model, nonce, evidence, std::time(nullptr));
    if (!verdict.verified) {
        record(round, verdict.report, "rejected", verdict.code);
        throw ProxyError::of(verdict.code, verdict.message);
    }
    auto attested = std::make_shared<AttestedModel>();
    attested->model_public_key = verdict.report.find("model_public_key")->as_string();
    attested->verified_at = verified_at;
    if (const json::Value *not_after = verdict.report.find("freshness_not_after")) {
        int64_t t = 0;
        if (not_after->get_i64(t)) attested->not_after = Clock::time_point(std::chrono::seconds(t));
    }
    attested->report = std::move(verdict.report);
    record(round, attested->report, "verified", "");
    return attested;
}

}  // namespace vep::host
