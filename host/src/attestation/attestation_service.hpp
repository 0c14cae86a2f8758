// attest_model(): one attestation round for a model — fresh 32-byte nonce, upstream fetch, every
// configured verifier plugin in order (each sees the merged report of those before it), the
// host-side policy gates (require_tdx / require_nvidia need a verifier that actually verified),
// and an audit record. Called by the attest stage under the session's single-flight lock.
#pragma once

#include <initializer_list>
#include <memory>
#include <string>

#include "session/session_store.hpp"
#include "vep/json.hpp"

namespace vep::host {

class Generation;

// Throws ProxyError (attestation_* codes, 502/503) when the model cannot be trusted.
std::shared_ptr<const AttestedModel> attest_model(const Generation &generation, const std::string &model);

// The member at `keys` below `report` (e.g. {"tdx", "verified"}), or nullptr.
const json::Value *report_field(const json::Value &report, std::initializer_list<const char *> keys);

// Deep-merges `from` into `into`: objects recursively, "checks" arrays concatenated, other values replaced.
void merge_report(json::Value &into, const json::Value &from);

}  // namespace vep::host
