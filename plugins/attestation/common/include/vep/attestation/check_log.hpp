// Records the `checks` entries of an attestation report ({verifier, name, ok, detail}, and
// "warning": true on a check that passed only under a grace rule).
//
// Owns: appending to report["checks"] as each check runs, so that a report written on failure
// still shows every check that passed and the one that failed, and the two checks every verifier
// that reads the evidence starts with (request nonce, evidence JSON). Callers: attestation plugins.
#pragma once

#include <string>
#include <string_view>

#include "vep/json.hpp"

namespace vep::attestation {

class CheckLog {
  public:
    // `report` must outlive the log; its "checks" array is created when missing.
    CheckLog(std::string verifier, json::Value &report);
    void pass(std::string_view name, std::string_view detail);
    // Records a check that passed under a grace rule the operator configured: ok true and
    // "warning": true, so documents, audit records and `attest` show it apart from a clean pass.
    void warn(std::string_view name, std::string_view detail);
    // Records a failed check and throws vep::Failure(code, message).
    [[noreturn]] void fail(std::string_view name, const std::string &code, const std::string &message);

  private:
    void add(std::string_view name, bool ok, std::string_view detail, bool warning = false);
    std::string verifier_;
    json::Value &report_;
};

// Fails check "request_nonce" (invalid_attestation_request) unless `nonce_hex` is the host's
// nonce form: 64 lowercase hex characters. Records nothing when it holds.
void check_request_nonce(CheckLog &log, std::string_view nonce_hex);

// `evidence_json` parsed; a parse error fails check `name` (attestation_malformed_response,
// "attestation body is not JSON: ...").
json::Value parse_evidence(CheckLog &log, std::string_view name, std::string_view evidence_json);

}  // namespace vep::attestation
