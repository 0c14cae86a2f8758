// Stage "session": resolves the agent session id (seed-behaviour §6.1: configured header, then
// metadata.session_id, then session.fallback_scope) and acquires the session from the store.
// Also refuses early when no client key can exist (keys disabled with process scope).
#include <Poco/String.h>
#include <Poco/UUIDGenerator.h>

#include "chain/exchange.hpp"
#include "chain/stages/builtin_stages.hpp"
#include "runtime/generation.hpp"

namespace vep::host {
namespace {

bool visible_ascii(const std::string &v) {
    for (char c : v) {
        const auto u = static_cast<unsigned char>(c);
        if (!(u == '\t' || (u >= 0x20 && u < 0x7f))) return false;
    }
    return true;
}

class SessionStage final : public Stage {
  public:
    explicit SessionStage(const Generation &g) : g_(g) {}

    StageStatus on_request(Exchange &ex) override {
        const Config &c = g_.config();
        if (c.keys.client_key_scope == ClientKeyScope::Process && !g_.instance_key())
            throw ProxyError::of("proxy_instance_key_unavailable",
                                 "the proxy instance key is not available (keys.generate_proxy_instance_key_on_startup "
                                 "is false)");
        if (!ex.chat) throw ProxyError::of("internal_error", "the session stage needs the parse stage before it");

        std::string id;
        SessionScope scope = SessionScope::Agent;
        const std::string &header = c.session.incoming_session_id_header;
        if (ex.request_headers.has(header)) {
            const std::string raw = ex.request_headers.get(header);
            if (!visible_ascii(raw))
                throw ProxyError::of("invalid_session_header", "session header " + header + " must be visible ASCII");
            id = Poco::trim(raw);
        }
        if (id.empty() && ex.chat->metadata_session_id) id = *ex.chat->metadata_session_id;
        if (id.empty()) {
            switch (c.session.fallback_scope) {
            case FallbackScope::Request:
                id = Poco::UUIDGenerator::defaultGenerator().createRandom().toString();
                scope = SessionScope::Request;
                break;
            case FallbackScope::Agent: id = g_.process_agent_id(); break;
            case FallbackScope::Disabled:
                throw ProxyError::of("session_identifier_missing",
                                     "a session id is required: send the " + header +
                                         " header or metadata.session_id");
            }
        }
        ex.session = g_.sessions().acquire(ex.chat->model, id, scope, Clock::now());
        const char *scope_name = scope == SessionScope::Agent ? "agent" : "request";
        ex.set_response_header("X-Venice-Proxy-Session-Id", id);
        if (Poco::icompare(header, "X-Venice-Proxy-Session-Id") != 0) ex.set_response_header(header, id);
        ex.set_response_header("X-Venice-Proxy-Session-Scope", scope_name);
        return StageStatus::Continue;
    }

  private:
    const Generation &g_;
};

}  // namespace

void register_session_stage(StageRegistry &registry) { registry.add("session", stage_builder<SessionStage>()); }

}  // namespace vep::host
