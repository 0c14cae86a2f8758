// Writes the tdx-dcap part of an attestation report.
//
// Owns: the `tdx` object of the report (ATTESTATION.md) and, through the shared CheckLog, the
// `checks` entries with verifier "tdx-dcap". A failing check is recorded and then thrown as
// vep::Failure, so the report always shows how far verification got. Callers: the verifier and
// the measurement policy.
#pragma once

#include <string>
#include <string_view>

#include "vep/attestation/check_log.hpp"
#include "vep/json.hpp"

namespace vep::tdx_dcap {

class ReportChecks {
  public:
    explicit ReportChecks(json::Value &report);

    void pass(std::string_view name, const std::string &detail) { log_.pass(name, detail); }
    // Records a failed check and throws vep::Failure(code, "TDX <name>: <detail>").
    [[noreturn]] void fail(std::string_view name, const char *code, const std::string &detail);
    // Sets report.tdx.<key>.
    void set_tdx(std::string_view key, json::Value value);

  private:
    json::Value &report_;
    attestation::CheckLog log_;
};

}  // namespace vep::tdx_dcap
