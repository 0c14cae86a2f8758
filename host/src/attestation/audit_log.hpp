// AuditLog: one JSON line per attestation verdict (model, nonce, key fingerprint, the checks that
// ran and the outcome) — never prompt data. Target from logging.audit_log: "" = off, "-" = the
// process log, else a file opened for append. Thread-safe; written by the AttestationService.
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

}  // namespace vep::host
