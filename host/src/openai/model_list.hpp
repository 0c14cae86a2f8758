// The GET /v1/models answer built from Venice's model list.
//
// Owns: the reference proxy's rules — the required/optional fields of each upstream entry, the filter
// (text models with E2EE and TEE attestation only) and the OpenAI-shaped output in the
// reference's struct order; narrowing that answer to the models a client key may use; leaving out
// or marking the models that failed attestation. Called
// by the models route after fetching {base}/models.
#pragma once

#include <functional>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace vep::host {

// Maps Venice's `GET /models` body to the proxy's `GET /v1/models` body. Any missing or ill-typed
// required field anywhere makes the whole list malformed: throws ProxyError
// upstream_malformed_response (502).
std::string map_models_response(std::string_view upstream_body);

// `models_body` (a map_models_response() answer) with one more entry per alias (name -> Venice
// model) whose model it lists: the model's entry under the alias's id.
std::string add_model_aliases(std::string_view models_body, const std::map<std::string, std::string> &aliases);

// A listed model's failed latest attestation: its error code, when it ended and when the model
// last attested (unix seconds; 0 = not since the configuration was loaded).
struct FailedAttestation {
    std::string code;
    int64_t time = 0;
    int64_t last_verified = 0;
};

// `models_body` (a map_models_response() answer) with every entry whose id `failed` names left out
// (`leave_out`, models.list_only_attested) or marked with an extra member — ignored by OpenAI
// clients — "attestation": {"status": "failed", "code", "time"[, "last_verified"]}. Unchanged,
// byte for byte, when no entry failed.
std::string apply_failed_attestations(std::string_view models_body,
                                      const std::function<std::optional<FailedAttestation>(std::string_view)> &failed,
                                      bool leave_out);

// `models_body` (a map_models_response() answer) with only the entries whose id `keep` accepts.
std::string filter_models(std::string_view models_body, const std::function<bool(std::string_view)> &keep);

}  // namespace vep::host
