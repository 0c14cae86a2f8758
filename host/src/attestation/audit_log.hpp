// AuditLog: one JSON line per attestation verdict (model, nonce, key fingerprint, the checks that
// ran and the outcome) and per checked receipt — never prompt data. Target from
// logging.audit_log: "" = off, "-" = the process log, else a file opened for append. Thread-safe;
// written by the AttestationService and the ReceiptService.
#pragma once

#include <fstream>
#include <mutex>
#include <string>

#include "vep/json.hpp"

namespace vep::host {

class AuditLog {
  public:
    // Throws std::runtime_error when the file cannot be opened.
    explicit AuditLog(const std::string &target);
    void write(const json::Value &record);
    bool enabled() const { return mode_ != Mode::Off; }

  private:
    enum class Mode { Off, ProcessLog, File };
    Mode mode_ = Mode::Off;
    std::mutex mutex_;
    std::ofstream file_;
};

// The members every audit record starts with: `event`, `schema`, `time` (Unix seconds, now) and
// `model`. Used by the AttestationService and the ReceiptService.
json::Value audit_record(const char *event, const char *schema, const std::string &model);

}  // namespace vep::host
