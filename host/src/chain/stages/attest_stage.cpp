// Stage "attest" (core): makes sure the session holds a verified attestation of its model — fetched
// once per session even when its first requests arrive together (single flight under the
// session's lock), renewed when older than attestation.max_age and, on the attempt side, when
// Venice refused the key it names — picks the client key (process or per-session scope) and sets
// the X-Venice-Proxy-* verdict headers from the verifiers' report.
#include "attestation/attestation_service.hpp"
#include "chain/exchange.hpp"
#include "chain/stages/builtin_stages.hpp"

namespace vep::host {
namespace {

std::string bool_text(const json::Value *v) { return v && v->is_bool() && v->as_bool() ? "true" : "false"; }

struct AttestDeps {
    const Config *config;
    const AttestationService *attestation;
    SessionStore *sessions;
    const vep::client::CipherClient *cipher;
    std::shared_ptr<const vep::client::CipherClient::Key> instance_key;
};

class AttestStage final : public Stage {
  public:
    explicit AttestStage(const AttestDeps &deps) : d_(deps) {}

    StageStatus on_request(Exchange &ex) override {
        if (!ex.session) throw ProxyError::of("internal_error", "the attest stage needs the session stage before it");
        Session &session = *ex.session;
        {
            std::lock_guard<std::mutex> lock(session.attest_mutex);
            if (!session.attested) attest(ex, session, "");
            else if (too_old(*session.attested)) attest(ex, session, "max_age");
            const bool per_session = d_.config->keys.client_key_scope == ClientKeyScope::Session;
            if (per_session && !session.client_key) session.client_key = d_.cipher->generate();
            ex.attested = session.attested;
            ex.client_key = per_session ? session.client_key : d_.instance_key;
        }
        set_headers(ex);
        return StageStatus::Continue;
    }

    // Venice refused the key the last attempt was encrypted to: the session is attested anew,
    // unless a request of the same session did that meanwhile (single flight).
    void on_attempt(Exchange &ex, AttemptRequest &) override {
        if (!ex.attestation_refused) return;
        ex.attestation_refused = false;
        Session &session = *ex.session;
        {
            std::lock_guard<std::mutex> lock(session.attest_mutex);
            if (session.attested == ex.attested) attest(ex, session, "key_rejected");
            ex.attested = session.attested;
        }
        ex.reattested = true;
        set_headers(ex);
    }

  private:
    // Under the session's lock. A failure leaves the session without an attestation.
    void attest(Exchange &ex, Session &session, const std::string &reason) const {
        session.attested.reset();
        session.attested = d_.attestation->attest(session.model, ex.caller ? ex.caller->id : std::string(), reason);
        d_.sessions->clamp_to_freshness(session, *session.attested);
        if (!reason.empty()) ex.reattested = true;
    }

    bool too_old(const AttestedModel &attested) const {
        const Duration max_age = d_.config->attestation.max_age;
        return max_age.count() > 0 && Clock::now() - attested.verified_at > max_age;
    }

    void set_headers(Exchange &ex) const {
        const Config &c = *d_.config;
        const json::Value &r = ex.attested->report;
        ex.set_response_header("X-Venice-Proxy-E2EE", "verified");
        ex.set_response_header("X-Venice-Proxy-Attestation-Mode", c.attestation.mode);
        ex.set_response_header("X-Venice-Proxy-Attested-Model", ex.chat->model);
        const json::Value *provider = r.find("tee_provider");
        ex.set_response_header("X-Venice-Proxy-TEE-Provider",
                               provider && provider->is_string() && !provider->as_string().empty() ? provider->as_string()
                                                                                                     : "unknown");
        if (c.attestation.require_tdx) ex.set_response_header("X-Venice-Proxy-TDX-Verified", bool_text(report_field(r, {"tdx", "verified"})));
        const json::Value *tdx_present = report_field(r, {"tdx", "present"});
        const json::Value *tdx_debug = report_field(r, {"tdx", "debug"});
        const json::Value *root_debug = r.find("debug");
        if (tdx_present && tdx_present->is_bool() && tdx_present->as_bool() && tdx_debug && tdx_debug->is_bool())
            ex.set_response_header("X-Venice-Proxy-TDX-Debug", bool_text(tdx_debug));
        else if (root_debug && root_debug->is_bool())
            ex.set_response_header("X-Venice-Proxy-TDX-Debug", bool_text(root_debug));
        const json::Value *nvidia = report_field(r, {"nvidia", "status"});
        ex.set_response_header("X-Venice-Proxy-NVIDIA-Verified",
                               nvidia && nvidia->is_string() ? nvidia->as_string() : "not-present");
        ex.set_response_header("X-Venice-Proxy-Key-Binding", "true");
        ex.set_response_header("X-Venice-Proxy-Tool-Mode", c.tools.enabled ? c.tools.mode : "none");
    }

    const AttestDeps &d_;
};

}  // namespace

void register_attest_stage(StageRegistry &registry) {
    registry.add("attest", stage_builder<AttestStage>([](const StageServices &s) {
                     return AttestDeps{&s.config, &s.attestation, &s.sessions, &s.cipher, s.instance_key};
                 }));
}

}  // namespace vep::host
