// The fail-closed upstream check: see upstream_gate.hpp.
#include "pipeline/upstream_gate.hpp"

#include "config/model_modes.hpp"

namespace vep::host {

UpstreamDelivery check_upstream_attempt(const Exchange &ex, const AttemptRequest &attempt, const Config &config) {
    if (ex.attested && ex.chat && !attempt.body.empty()) {
        if (!ex.tee_only && attempt.encrypted && ex.client_key) return UpstreamDelivery::E2ee;
        if (ex.tee_only && !attempt.encrypted && model_mode(config, ex.chat->model) == ModelMode::TeeOnly)
            return UpstreamDelivery::TeeOnly;
    }
    throw ProxyError::of("internal_error",
                         "the handler chain did not prepare an attested, encrypted upstream request (or a plaintext one "
                         "for a model the operator configured tee-only)");
}

}  // namespace vep::host
