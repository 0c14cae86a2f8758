// Stage "session" (core): resolves the agent session id (the configured header, then
// metadata.session_id, then session.fallback_scope), holds either to the session id rule
// (session/session_id.hpp: bounded, safe in a header) and acquires the session from the store.
// Also refuses early when no client key can exist (keys disabled with process scope).

#include "chain/exchange.hpp"
#include "chain/stages/builtin_stages.hpp"
#include "ids/random_uuid.hpp"
#include "net/http_header.hpp"
#include "session/session_id.hpp"

namespace vep::host {
namespace {

struct SessionDeps {
    const Config *config;
    SessionStore *sessions;
    bool instance_key_available;
    std::string process_agent_id;
};

class SessionStage final : public Stage {
  public:
    explicit SessionStage(const SessionDeps &deps) : d_(deps) {}

    StageStatus on_request(Exchange &ex) override {
        const Config &c = *d_.config;
        if (c.keys.client_key_scope == ClientKeyScope::Process && !d_.instance_key_available)
            throw ProxyError::of("proxy_instance_key_unavailable",
                                 "the proxy instance key is not available (keys.generate_proxy_instance_key_on_startup "
                                 "is false)");
        if (!ex.chat) throw ProxyError::of("internal_error", "the session stage needs the parse stage before it");

        std::string id;
        SessionScope scope = SessionScope::Agent;
        const std::string &header = c.session.incoming_session_id_header;
        const std::string rule = "1 to " + std::to_string(kMaxSessionIdBytes) + " visible ASCII characters, no spaces inside";
        if (ex.request_headers.has(header)) {
            const auto valid = normalize_session_id(ex.request_headers.get(header));
            if (!valid) throw ProxyError::of("invalid_session_header", "session header " + header + " must be " + rule);
            id = *valid;
        }
        if (id.empty() && ex.chat->metadata_session_id) {
            const auto valid = normalize_session_id(*ex.chat->metadata_session_id);
            if (!valid || valid->empty())
                throw ProxyError::of("invalid_session_id", "metadata.session_id must be " + rule);
            id = *valid;
        }
        if (id.empty()) {
            switch (c.session.fallback_scope) {
            case FallbackScope::Request:
                id = random_uuid();
                scope = SessionScope::Request;
                break;
            case FallbackScope::Agent: id = d_.process_agent_id; break;
            case FallbackScope::Disabled:
                throw ProxyError::of("session_identifier_missing",
                                     "a session id is required: send the " + header +
                                         " header or metadata.session_id");
            }
        }
        ex.session = d_.sessions->acquire(ex.chat->model, id, scope, Clock::now());
        const char *scope_name = scope == SessionScope::Agent ? "agent" : "request";
        ex.set_response_header("X-Venice-Proxy-Session-Id", id);
        if (!header_name_equals(header, "X-Venice-Proxy-Session-Id")) ex.set_response_header(header, id);
        ex.set_response_header("X-Venice-Proxy-Session-Scope", scope_name);
        return StageStatus::Continue;
    }

  private:
    const SessionDeps &d_;
};

}  // namespace

void register_session_stage(StageRegistry &registry) {
    registry.add("session", stage_builder<SessionStage>([](const StageServices &s) {
                     return SessionDeps{&s.config, &s.sessions, s.instance_key != nullptr, s.process_agent_id};
                 }));
}

}  // namespace vep::host
