// Report check entries (see check_log.hpp).
#include "vep/attestation/check_log.hpp"

#include <algorithm>

#include "vep/hex.hpp"
#include "vep/sdk.hpp"

namespace vep::attestation {

CheckLog::CheckLog(std::string verifier, json::Value &report) : verifier_(std::move(verifier)), report_(report) {
    const json::Value *checks = report_.find("checks");
    if (!checks || !checks->is_array()) report_.set("checks", json::Value::array());
}

void CheckLog::add(std::string_view name, bool ok, std::string_view detail, bool warning) {
    json::Value entry = json::Value::object();
    entry.set("verifier", verifier_);
    entry.set("name", name);
    entry.set("ok", ok);
    entry.set("detail", detail);
    if (warning) entry.set("warning", true);
    report_.find("checks")->push_back(std::move(entry));
}

void CheckLog::pass(std::string_view name, std::string_view detail) { add(name, true, detail); }

void CheckLog::warn(std::string_view name, std::string_view detail) { add(name, true, detail, true); }

void CheckLog::fail(std::string_view name, const std::string &code, const std::string &message) {
    add(name, false, message);
    throw Failure(code, message);
}

void check_request_nonce(CheckLog &log, std::string_view nonce_hex) {
    const bool lower_hex_64 = nonce_hex.size() == 64 && hex::all_digits(nonce_hex) &&
                              std::none_of(nonce_hex.begin(), nonce_hex.end(), [](char c) { return c >= 'A' && c <= 'F'; });
    if (!lower_hex_64)
        log.fail("request_nonce", "invalid_attestation_request", "the attestation nonce must be 64 lowercase hex characters");
}

json::Value parse_evidence(CheckLog &log, std::string_view name, std::string_view evidence_json) {
    try {
        return json::parse(evidence_json);
    } catch (const json::ParseError &e) {
        log.fail(name, "attestation_malformed_response", std::string("attestation body is not JSON: ") + e.what());
    }
}

}  // namespace vep::attestation
