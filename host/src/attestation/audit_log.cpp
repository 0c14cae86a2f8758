// See audit_log.hpp.
#include "attestation/audit_log.hpp"

#include <ctime>
#include <stdexcept>

#include "log/log.hpp"

namespace vep::host {

AuditLog::AuditLog(const std::string &target) {
    if (target.empty()) return;
    if (target == "-") {
        mode_ = Mode::ProcessLog;
        return;
    }
    file_.open(target, std::ios::app);
    if (!file_) throw std::runtime_error("logging.audit_log: cannot open " + target + " for appending");
    mode_ = Mode::File;
}

void AuditLog::write(const json::Value &record) {
    if (mode_ == Mode::Off) return;
    const std::string line = json::dump(record);
    if (mode_ == Mode::ProcessLog) {
        logger("proxy.audit").information(line);
        return;
    }
    std::lock_guard<std::mutex> lock(mutex_);
    file_ << line << '\n';
    file_.flush();
}

json::Value audit_record(const char *event, const char *schema, const std::string &model) {
    json::Value doc = json::Value::object();
    doc.set("event", event);
    doc.set("schema", schema);
    doc.set("time", static_cast<int64_t>(std::time(nullptr)));
    doc.set("model", model);
    return doc;
}

}  // namespace vep::host
