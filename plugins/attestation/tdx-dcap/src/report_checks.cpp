// Writes the tdx-dcap part of an attestation report (see report_checks.hpp).
#include "report_checks.hpp"

namespace vep::tdx_dcap {
namespace {

json::Value &as_object(json::Value &report) {
    if (!report.is_object()) report = json::Value::object();
    if (const json::Value *tdx = report.find("tdx"); !tdx || !tdx->is_object()) report.set("tdx", json::Value::object());
    return report;
}

}  // namespace

ReportChecks::ReportChecks(json::Value &report) : report_(as_object(report)), log_("tdx-dcap", report_) {}

void ReportChecks::fail(std::string_view name, const char *code, const std::string &detail) {
    log_.fail(name, code, "TDX " + std::string(name) + ": " + detail);
}

void ReportChecks::set_tdx(std::string_view key, json::Value value) { report_.find("tdx")->set(key, std::move(value)); }

}  // namespace vep::tdx_dcap
