// Optional policy on the TD measurements (see measurement_policy.hpp).
#include "measurement_policy.hpp"

#include <algorithm>
#include <string>

#include "event_log_replay.hpp"
#include "failure_codes.hpp"
#include "openssl_util.hpp"
#include "vep/hex.hpp"
#include "vep/sdk.hpp"
#include "vep/text.hpp"

namespace vep::tdx_dcap {
namespace {

EvidenceRule rule(const json::Value &config, std::string_view key) {
    const json::Value *v = config.find(key);
    if (!v || v->is_null()) return EvidenceRule::WhenPresent;
    if (v->is_string()) {
        if (v->as_string() == "when_present") return EvidenceRule::WhenPresent;
        if (v->as_string() == "required") return EvidenceRule::Required;
        if (v->as_string() == "never") return EvidenceRule::Never;
    }
    throw Failure("invalid_config", std::string(key) + " must be \"when_present\", \"required\" or \"never\"");
}

std::string to_hex(ByteSpan bytes) { return hex::encode(bytes.data(), bytes.size()); }

}  // namespace

MeasurementPolicy MeasurementPolicy::from_config(const json::Value &config) {
    MeasurementPolicy p;
    p.mrtd = parse_hex_allowlist(config, "mrtd_allowlist", 48);
    for (size_t i = 0; i < p.rtmr.size(); ++i)
        p.rtmr[i] = parse_hex_allowlist(config, "rtmr" + std::to_string(i) + "_allowlist", 48);
    p.compose_hash = rule(config, "compose_hash_check");
    p.event_log = rule(config, "event_log_replay");
    p.workload = WorkloadPolicy::from_config(config);
    if (p.event_log == EvidenceRule::Never && p.workload.pins_anything())
        throw Failure("invalid_config", "tdx-dcap: workload pins need the event log; event_log_replay must not be \"never\"");
    return p;
}

void MeasurementPolicy::check(std::string_view model, const Quote &quote, const TdxEvidence &evidence, ReportChecks &checks) const {
    const char *rejected = code::kMeasurementRejected;
    if (!mrtd.empty()) {
        if (!allowlisted(mrtd, quote.mr_td())) checks.fail("mrtd_allowlist", rejected, "MRTD " + to_hex(quote.mr_td()) + " not allowed");
        checks.pass("mrtd_allowlist", "MRTD " + to_hex(quote.mr_td()) + " allowed");
    }
    for (size_t i = 0; i < rtmr.size(); ++i) {
        if (rtmr[i].empty()) continue;
        const std::string name = "rtmr" + std::to_string(i) + "_allowlist";
        if (!allowlisted(rtmr[i], quote.rtmr(i)))
            checks.fail(name, rejected, "RTMR" + std::to_string(i) + " " + to_hex(quote.rtmr(i)) + " not allowed");
        checks.pass(name, "RTMR" + std::to_string(i) + " allowed");
    }

    if (compose_hash != EvidenceRule::Never) {
        if (evidence.app_compose) {
            const std::string &compose = *evidence.app_compose;
            const Sha256 digest =
                sha256(std::span<const uint8_t>(reinterpret_cast<const uint8_t *>(compose.data()), compose.size()));
            std::array<uint8_t, 48> expected{};
            expected[0] = 0x01;
            std::copy(digest.begin(), digest.end(), expected.begin() + 1);
            if (!std::equal(expected.begin(), expected.end(), quote.mr_config_id().begin()))
                checks.fail("compose_hash", rejected, "MRCONFIGID is not 0x01 || SHA-256(app_compose)");
            checks.pass("compose_hash", "MRCONFIGID binds app_compose (sha256 " + to_hex(digest) + ")");
        } else if (compose_hash == EvidenceRule::Required) {
            checks.fail("compose_hash", rejected, "app_compose is required but absent");
        }
    }

    std::optional<ReplayedRtmrs> replayed;
    if (event_log != EvidenceRule::Never) {
        if (evidence.event_log) {
            try {
                replayed = replay_event_log(*evidence.event_log);
            } catch (const EventLogError &e) {
                checks.fail("event_log_replay", rejected, e.what());
            }
            if (replayed->events[3] == 0) checks.fail("event_log_replay", rejected, "event log has no RTMR3 events");
            std::string replayed_names;
            for (size_t i = 0; i < 4; ++i) {
                if (replayed->events[i] == 0) continue;  // RTMR0-2 are compared only when logged
                const ByteSpan actual = quote.rtmr(i);
                if (!std::equal(replayed->rtmr[i].begin(), replayed->rtmr[i].end(), actual.begin()))
                    checks.fail("event_log_replay", rejected,
                                "event log does not replay to RTMR" + std::to_string(i) + " of the quote");
                replayed_names += (replayed_names.empty() ? "RTMR" : ",") + std::to_string(i);
            }
            checks.pass("event_log_replay", replayed_names + " replayed from the event log");
        } else if (event_log == EvidenceRule::Required) {
            checks.fail("event_log_replay", rejected, "event log is required but absent");
        }
    }
    workload.check(model, quote, evidence, replayed ? &*replayed : nullptr, checks);
}

}  // namespace vep::tdx_dcap
