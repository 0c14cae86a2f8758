// The GET /v1/models answer built from Venice's model list.
//
// Owns: the reference proxy's rules — the required/optional fields of each upstream entry, the filter
// (text models with E2EE and TEE attestation only) and the OpenAI-shaped output in the
// reference's struct order; and narrowing that answer to the models a client key may use. Called
// by the models route after fetching {base}/models.
#pragma once

#include <functional>
#include <map>
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

// `models_body` (a map_models_response() answer) with only the entries whose id `keep` accepts.
std::string filter_models(std::string_view models_body, const std::function<bool(std::string_view)> &keep);

}  // namespace vep::host
