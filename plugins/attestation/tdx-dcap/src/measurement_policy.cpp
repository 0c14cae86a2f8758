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

std::vector<std::array<uint8_t, 48>> allowlist(const json::Value &config, std::string_view key) {
    std::vector<std::array<uint8_t, 48>> out;
    const json::Value *v = config.find(key);
    if (!v || v->is_null()) return out;
    if (!v->is_array()) throw Failure("invalid_config", std::string(key) + " must be a list of 96-hex strings");
    for (const auto &item : v->as_array()) {
        std::optional<std::vector<uint8_t>> bytes;
        if (item.is_string()) bytes = hex::decode(hex::strip_0x(trim_ascii(item.as_string())));
        if (!bytes || bytes->size() != 48)
            throw Failure("invalid_config", std::string(key) + " entries must be 48 bytes of hex");
        std::array<uint8_t, 48> m{};
        std::copy(bytes->begin(), bytes->end(), m.begin());
        out.push_back(m);
    }
    return out;
}

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

bool listed(const std::vector<std::array<uint8_t, 48>> &list, ByteSpan value) {
    return std::any_of(list.begin(), list.end(),
                       [&](const auto &m) { return std::equal(m.begin(), m.end(), value.begin(), value.end()); });
}

std::string to_hex(ByteSpan bytes) { return hex::encode(bytes.data(), bytes.size()); }

}  // namespace

MeasurementPolicy MeasurementPolicy::from_config(const json::Value &config) {
    MeasurementPolicy p;
    p.mrtd = allowlist(config, "mrtd_allowlist");
    p.rtmr[0] = allowlist(config, "rtmr0_allowlist");
    p.rtmr[1] = allowlist(config, "rtmr1_allowlist");
    p.rtmr[2] = allowlist(config, "rtmr2_allowlist");
    p.compose_hash = rule(config, "compose_hash_check");
    p.event_log = rule(config, "event_log_replay");
    return p;
}

void MeasurementPolicy::check(const Quote &quote, const TdxEvidence &evidence, ReportChecks &checks) const {
    const char *rejected = code::kMeasurementRejected;
    if (!mrtd.empty()) {
        if (!listed(mrtd, quote.mr_td())) checks.fail("mrtd_allowlist", rejected, "MRTD " + to_hex(quote.mr_td()) + " not allowed");
        checks.pass("mrtd_allowlist", "MRTD " + to_hex(quote.mr_td()) + " allowed");
    }
    for (size_t i = 0; i < rtmr.size(); ++i) {
        if (rtmr[i].empty()) continue;
        const std::string name = "rtmr" + std::to_string(i) + "_allowlist";
        if (!listed(rtmr[i], quote.rtmr(i)))
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

    if (event_log != EvidenceRule::Never) {
        if (evidence.event_log) {
            ReplayedRtmrs replayed;
            try {
                replayed = replay_event_log(*evidence.event_log);
            } catch (const EventLogError &e) {
                checks.fail("event_log_replay", rejected, e.what());
            }
            if (replayed.events[3] == 0) checks.fail("event_log_replay", rejected, "event log has no RTMR3 events");
            std::string replayed_names;
            for (size_t i = 0; i < 4; ++i) {
                if (replayed.events[i] == 0) continue;  // RTMR0-2 are compared only when logged
                const ByteSpan actual = quote.rtmr(i);
                if (!std::equal(replayed.rtmr[i].begin(), replayed.rtmr[i].end(), actual.begin()))
                    checks.fail("event_log_replay", rejected,
                                "event log does not replay to RTMR" + std::to_string(i) + " of the quote");
                replayed_names += (replayed_names.empty() ? "RTMR" : ",") + std::to_string(i);
            }
            checks.pass("event_log_replay", replayed_names + " replayed from the event log");
        } else if (event_log == EvidenceRule::Required) {
            checks.fail("event_log_replay", rejected, "event log is required but absent");
        }
    }
}

}  // namespace vep::tdx_dcap
