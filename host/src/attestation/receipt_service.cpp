// See receipt_service.hpp.
#include "attestation/receipt_service.hpp"

#include <chrono>

#include "errors/proxy_error.hpp"
#include "log/log.hpp"

namespace vep::host {
namespace {

// Checks waiting for the audit worker beyond this many are skipped (counted, logged).
constexpr size_t kMaxQueued = 256;
// Venice may publish the record a moment after the answer ended: a failed fetch is tried again
// after this pause, at most kFetchTries times in all.
constexpr int kFetchTries = 3;
constexpr std::chrono::milliseconds kFetchPause{250};

}  // namespace

ReceiptService::ReceiptService(ReceiptMode mode, const VeniceClient *venice, AuditLog &audit_log,
                               AttestationCounters *counters)
    : mode_(mode), venice_(venice), audit_log_(audit_log), counters_(counters) {}

ReceiptService::~ReceiptService() {
    std::deque<ReceiptSubject> skipped;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        stopping_ = true;
        skipped.swap(queue_);
    }
    wake_.notify_all();
    if (worker_.joinable()) worker_.join();
    for (const auto &subject : skipped) record(subject, "audit", "skipped", nullptr, "the configuration was replaced");
}

void ReceiptService::require(const ReceiptSubject &subject) const {
    const Outcome result = run(subject, "require");
    if (result.outcome != "verified")
        throw ProxyError::of("receipt_verification_failed",
                             "the answer's signed receipt did not verify (attestation.receipts = \"require\"): " +
                                 result.message);
}

void ReceiptService::audit_later(ReceiptSubject subject) {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        if (!stopping_ && queue_.size() < kMaxQueued) {
            queue_.push_back(std::move(subject));
            if (!worker_.joinable()) worker_ = std::thread([this] { work(); });
            wake_.notify_one();
            return;
        }
    }
    record(subject, "audit", "skipped", nullptr, "too many receipt checks waiting");
}

void ReceiptService::work() {
    for (;;) {
        ReceiptSubject subject;
        {
            std::unique_lock<std::mutex> lock(mutex_);
            wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
            if (stopping_) return;
            subject = std::move(queue_.front());
            queue_.pop_front();
        }
        run(subject, "audit");
    }
}

ReceiptService::Outcome ReceiptService::run(const ReceiptSubject &subject, const char *mode) const {
    if (subject.evidence.completion_id.empty()) {
        record(subject, mode, "failed", nullptr, "the answer carried no completion id to fetch the receipt of");
        return {"failed", "the answer carried no completion id"};
    }
    std::string body;
    std::string fetch_error = "no Venice client";
    for (int attempt = 1; venice_ && attempt <= kFetchTries; ++attempt) {
        try {
            body = venice_->get_signature(subject.model, subject.evidence.completion_id);
            fetch_error.clear();
            break;
        } catch (const ProxyError &e) {
            fetch_error = e.code() + ": " + e.what();
        }
        if (attempt < kFetchTries) std::this_thread::sleep_for(kFetchPause);
    }
    if (!fetch_error.empty()) {
        record(subject, mode, "fetch_failed", nullptr, fetch_error);
        return {"fetch_failed", "fetching /tee/signature failed: " + fetch_error};
    }
    const json::Value no_report = json::Value::object();
    const ReceiptVerdict verdict =
        check_receipt(body, subject.evidence, subject.attested ? subject.attested->report : no_report);
    const std::string outcome = verdict.verified ? "verified" : "failed";
    record(subject, mode, outcome, &verdict, "");
    return {outcome, verdict.verified ? std::string() : "failed checks: " + verdict.failed};
}

void ReceiptService::record(const ReceiptSubject &subject, const char *mode, const std::string &outcome,
                            const ReceiptVerdict *verdict, const std::string &detail) const {
    if (counters_) counters_->receipts.add({mode, outcome});
    json::Value doc = audit_record("receipt", "vep.receipt/1", subject.model);
    doc.set("request_id", subject.request_id);
    if (!subject.evidence.completion_id.empty()) doc.set("completion_id", subject.evidence.completion_id);
    if (!subject.client_key_id.empty()) doc.set("client_key_id", subject.client_key_id);
    doc.set("mode", mode);
    doc.set("outcome", outcome);
    if (outcome != "verified") doc.set("code", "receipt_verification_failed");
    if (subject.attested)
        if (const json::Value *address = subject.attested->report.find("signing_address"))
            doc.set("signing_address", *address);
    if (!detail.empty()) doc.set("detail", detail);
    doc.set("checks", verdict ? verdict->checks : json::Value::array());
    audit_log_.write(doc);
    if (outcome != "verified")
        logger("proxy.attestation")
            .warning("receipt of " + subject.model + " request " + subject.request_id + ": " + outcome +
                     (verdict && !verdict->failed.empty() ? " (" + verdict->failed + ")" : detail.empty() ? "" : " (" + detail + ")"));
}

}  // namespace vep::host
