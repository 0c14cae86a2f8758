// ReceiptService: per-request verification of Venice's signed response record
// (attestation.receipts). It fetches GET /tee/signature for an answer's completion id, checks it
// (check_receipt) against the attestation the request went out under, writes one audit-log record
// ("event": "receipt", never prompt data) and counts the outcome (vep_receipt_checks_total).
// require() runs on the caller's thread (a relay blocking-task thread holding a buffered answer);
// audit_later() queues the check for the service's own worker thread, started on first use, with
// a bounded queue (a full queue counts the check as skipped). One per configuration generation
// (built by Generation::build); the pipeline (ChatExchange) calls it. Thread-safe.
#pragma once

#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "attestation/audit_log.hpp"
#include "attestation/receipt_check.hpp"
#include "config/config.hpp"
#include "session/session_store.hpp"
#include "stats/proxy_stats.hpp"
#include "upstream/venice_client.hpp"

namespace vep::host {

// One answer whose receipt is to be checked.
struct ReceiptSubject {
    std::string model;
    std::string request_id;  // the proxy's request id (audit record only)
    std::string client_key_id;
    ReceiptEvidence evidence;
    std::shared_ptr<const AttestedModel> attested;
};

class ReceiptService {
  public:
    // `venice` may be null (check-config): every check then fails to fetch. `counters` may be null.
    ReceiptService(ReceiptMode mode, const VeniceClient *venice, AuditLog &audit_log,
                   AttestationCounters *counters = nullptr);
    // Stops the worker; checks still queued are counted as skipped.
    ~ReceiptService();
    ReceiptService(const ReceiptService &) = delete;
    ReceiptService &operator=(const ReceiptService &) = delete;

    ReceiptMode mode() const { return mode_; }

    // Fetches and checks now. Throws ProxyError receipt_verification_failed (502) when the record
    // cannot be fetched or a check failed.
    void require(const ReceiptSubject &subject) const;
    // Queues the check for the worker thread (audit mode).
    void audit_later(ReceiptSubject subject);

  private:
    struct Outcome {
        std::string outcome;  // verified, failed, fetch_failed
        std::string message;
    };
    Outcome run(const ReceiptSubject &subject, const char *mode) const;
    void record(const ReceiptSubject &subject, const char *mode, const std::string &outcome,
                const ReceiptVerdict *verdict, const std::string &detail) const;
    void work();

    ReceiptMode mode_;
    const VeniceClient *venice_;
    AuditLog &audit_log_;
    AttestationCounters *counters_;
    std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<ReceiptSubject> queue_;
    bool stopping_ = false;
    std::thread worker_;
};

}  // namespace vep::host
