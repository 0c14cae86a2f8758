// The fail-closed check of every upstream attempt, made by ChatExchange::open_attempt.
//
// Owns: the rule for what may leave the proxy for Venice. An attempt goes E2EE when the
// exchange is attested, holds a client key and the chain encrypted the attempt's body. It goes
// TEE-only — plaintext, without the E2EE headers — only when the exchange is attested, the chain
// prepared it as tee-only (Exchange::tee_only, a plaintext body) and the configuration itself
// says the model is tee-only (model_mode(), which also honours e2ee.require_e2ee). Anything else
// throws ProxyError internal_error, and nothing goes upstream.
#pragma once

#include "chain/exchange.hpp"
#include "config/config.hpp"

namespace vep::host {

enum class UpstreamDelivery { E2ee, TeeOnly };

UpstreamDelivery check_upstream_attempt(const Exchange &ex, const AttemptRequest &attempt, const Config &config);

}  // namespace vep::host
