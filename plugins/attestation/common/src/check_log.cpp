// Report check entries (see check_log.hpp).
#include "vep/attestation/check_log.hpp"

#include "vep/sdk.hpp"

namespace vep::attestation {

CheckLog::CheckLog(std::string verifier, json::Value &report) : verifier_(std::move(verifier)), report_(report) {
    const json::Value *checks = report_.find("checks");
    if (!checks || !checks->is_array()) report_.set("checks", json::Value::array());
}

void CheckLog::add(std::string_view name, bool ok, std::string_view detail) {
    json::Value entry = json::Value::object();
    entry.set("verifier", verifier_);
    entry.set("name", name);
    entry.set("ok", ok);
    entry.set("detail", detail);
    report_.find("checks")->push_back(std::move(entry));
}

void CheckLog::pass(std::string_view name, std::string_view detail) { add(name, true, detail); }

void CheckLog::fail(std::string_view name, const std::string &code, const std::string &message) {
    add(name, false, message);
    throw Failure(code, message);
}

}  // namespace vep::attestation
