// AttestationService: proving that a model's enclave is genuine before anything is encrypted to
// its key. attest() runs one attestation round for a model — fresh 32-byte nonce, upstream fetch,
// evaluate(), and its verification document (docs/verification-document.md), which the audit log
// records and latest_document() keeps per model for GET /v1/attestation/{model}, with the
// model's status() (attested or failing, read by GET /v1/models and /metrics); probe() is a round
// for the background model probe (runtime/model_probe.hpp); evaluate() runs
// the configured verifier plugins in order and then the host-side policy gates. One per configuration generation (built by Generation::build);
// the attest stage calls attest() under the session's single-flight lock, and
// `venice-e2ee-proxy attest` calls evaluate() offline.
#pragma once

#include <chrono>
#include <initializer_list>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "attestation/audit_log.hpp"
#include "config/model_modes.hpp"
#include "config/config.hpp"
#include "session/session_store.hpp"
#include "stats/proxy_stats.hpp"
#include "upstream/venice_client.hpp"
#include "vep/client.hpp"
#include "vep/json.hpp"

namespace vep::host {

// One configured attestation verifier.
struct Verifier {
    std::string name;
    std::shared_ptr<const vep::client::AttestationClient> client;
};

// The outcome of a model's latest attestation round under one service (one configuration), kept
// for every model a round ran for — request-driven, GET /v1/attestation/{model}, or the probe. A
// model without one was never attested under this configuration.
struct ModelAttestationStatus {
    bool verified = false;
    std::string code;                               // the rejection's error code; "" when verified
    int64_t time = 0;                               // when the round ended, unix seconds
    std::chrono::steady_clock::time_point ended{};  // the same on the steady clock
    int64_t last_verified = 0;                      // the model's latest verified round, unix seconds; 0 = none
};

// What a probe of one model did: nothing (a round of the model was in flight or recent enough),
// or a round that verified or was rejected.
enum class ProbeOutcome { Skipped, Verified, Rejected };

// The outcome of evaluating one attestation response: the merged report of every check that ran
// and, when rejected, the proxy error code and message.
struct AttestationVerdict {
    json::Value report;
    bool verified = false;
    std::string code;
    std::string message;
};

// Which parts of the evaluation run. The proxy always runs everything; the `attest` CLI narrows it
// (e.g. a bare TDX quote: only the tdx-dcap verifier, no model-key or policy gates).
struct EvaluationScope {
    std::vector<std::string> verifiers;  // configured verifier names to run, in config order; empty = all
    bool policy_gates = true;            // require_tdx / require_nvidia, model key, freshness
};

class AttestationService {
  public:
    // `venice` may be null (check-config, offline `attest`): attest() then fails. `counters` (may
    // be null) receive every round attest() runs: its checks, its outcome and the fetch latency.
    AttestationService(const AttestationConfig &config, std::vector<Verifier> verifiers, const VeniceClient *venice,
                       AuditLog &audit_log, AttestationCounters *counters = nullptr);

    const std::vector<Verifier> &verifiers() const { return verifiers_; }

    // Runs every configured verifier plugin in order (each sees the merged report of those before
    // it; the first rejection stops the round), then the host-side gates: require_tdx /
    // require_nvidia need a verifier that actually verified, a 130-hex model key must be
    // established, and a stated freshness must lie after `now_unix`. `report` seeds the merged
    // report (e.g. a known signing_address for a bare quote); it gets a "checks" array if it has
    // none. Throws std::invalid_argument when `scope` names a verifier that is not configured.
    AttestationVerdict evaluate(const std::string &model, const std::string &nonce, const std::string &evidence,
                                int64_t now_unix, json::Value report = json::Value::object(),
                                const EvaluationScope &scope = {}) const;

    // Throws ProxyError (attestation_* codes, 502/503) when the model cannot be trusted. The audit
    // record names `client_key_id` (the client key whose request caused the round) and `reason`
    // (why an attestation was replaced: "key_rejected", "max_age") when not empty, and says
    // "e2ee": "tee-only" when the round is for a model the operator configured tee-only
    // (`delivery`), whose messages then go to Venice without E2EE.
    std::shared_ptr<const AttestedModel> attest(const std::string &model, const std::string &client_key_id = "",
                                                ModelMode delivery = ModelMode::E2ee,
                                                const std::string &reason = "") const;

    // The verification document of the model's latest round under this service (verified or
    // rejected), or nullopt when none ran yet. A rejected round's document names the model's
    // latest verified round as "last_verified" (unix seconds) when there was one.
    std::optional<json::Value> latest_document(const std::string &model) const;

    // The outcome of the model's latest round under this service, or nullopt when none ran yet.
    std::optional<ModelAttestationStatus> status(const std::string &model) const;
    // The models whose latest round under this service was rejected, in name order.
    std::vector<std::string> failing_models() const;

    // One round for the model on behalf of the background probe (audit reason "probe"), unless a
    // round of the model is in flight (single flight with request-driven rounds) or its latest
    // round ended less than `fresh_for` ago. Never throws ProxyError: a failure is the outcome.
    ProbeOutcome probe(const std::string &model, ModelMode delivery, std::chrono::steady_clock::duration fresh_for) const;

  private:
    struct AuditContext;
    class RoundInFlight;
    // A model's latest round: its verification document and its outcome.
    struct KeptRound {
        json::Value document;
        ModelAttestationStatus status;
    };
    std::shared_ptr<const AttestedModel> run_round(const std::string &model, const std::string &client_key_id,
                                                   ModelMode delivery, const std::string &reason) const;
    json::Value document(const AuditContext &round, const json::Value &report, const std::string &outcome,
                         const std::string &code) const;
    // Audits, counts and keeps the round's document.
    void record(const AuditContext &round, const json::Value &report, const std::string &outcome,
                const std::string &code) const;
    // Counts a finished round: each check of `report` by verifier, name and outcome, and the round.
    void count(const json::Value &report, const std::string &outcome, const std::string &code) const;

    AttestationConfig config_;
    std::vector<Verifier> verifiers_;
    const VeniceClient *venice_;
    AuditLog &audit_log_;
    AttestationCounters *counters_;
    mutable std::mutex latest_mutex_;
    mutable std::map<std::string, KeptRound> latest_;         // model -> latest round, bounded
    mutable std::map<std::string, unsigned> rounds_in_flight_;  // model -> rounds running now
};

// A fresh attestation nonce: 32 random bytes as 64 lowercase hex.
std::string fresh_attestation_nonce();

// The member at `keys` below `report` (e.g. {"tdx", "verified"}), or nullptr.
const json::Value *report_field(const json::Value &report, std::initializer_list<const char *> keys);

// Deep-merges `from` into `into`: objects recursively, "checks" arrays concatenated, other values replaced.
void merge_report(json::Value &into, const json::Value &from);

}  // namespace vep::host
