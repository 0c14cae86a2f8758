// Per-model dstack workload pins (see workload_policy.hpp).
#include "workload_policy.hpp"

#include <algorithm>

#include "failure_codes.hpp"
#include "vep/attestation/policy.hpp"
#include "vep/hex.hpp"
#include "vep/sdk.hpp"
#include "vep/text.hpp"

namespace vep::tdx_dcap {
namespace {

[[noreturn]] void bad(const std::string &why) { throw Failure("invalid_config", "tdx-dcap: " + why); }

std::optional<bool> flag(const json::Value &config, std::string_view key, const std::string &where) {
    const json::Value *v = config.find(key);
    if (!v || v->is_null()) return std::nullopt;
    if (!v->is_bool()) bad(where + std::string(key) + " must be true or false");
    return v->as_bool();
}

WorkloadPins parse_entry(const json::Value &entry, const std::string &where) {
    if (!entry.is_object()) bad(where + " must be a table");
    for (const auto &[key, value] : entry.as_object()) {
        static constexpr std::string_view kKeys[] = {"models",        "compose_hash", "app_id", "instance_id",
                                                     "os_image_hash", "rtmr3",        "allow_dev_os_image"};
        if (std::find(std::begin(kKeys), std::end(kKeys), key) == std::end(kKeys))
            bad(where + " has an unknown key \"" + key + "\"");
    }
    WorkloadPins pins;
    const std::string prefix = "tdx-dcap: " + where + ".";
    pins.compose_hash = parse_hex_allowlist(entry, "compose_hash", 32, prefix);
    pins.app_id = parse_hex_allowlist(entry, "app_id", 20, prefix);
    pins.instance_id = parse_hex_allowlist(entry, "instance_id", 20, prefix);
    pins.os_image_hash = parse_hex_allowlist(entry, "os_image_hash", 32, prefix);
    pins.rtmr3 = parse_hex_allowlist(entry, "rtmr3", 48, prefix);
    pins.allow_dev_os_image = flag(entry, "allow_dev_os_image", where + ".");
    const json::Value *models = entry.find("models");
    if (!models || models->is_null()) {
        pins.models = {"*"};
    } else {
        if (!models->is_array() || models->as_array().empty())
            bad(where + ".models must be a non-empty list of model ids or globs");
        for (const auto &m : models->as_array()) {
            if (!m.is_string() || m.as_string().empty())
                bad(where + ".models must be a non-empty list of model ids or globs");
            pins.models.push_back(m.as_string());
        }
    }
    return pins;
}

std::string to_hex(ByteSpan bytes) { return hex::encode(bytes.data(), bytes.size()); }

std::string joined(const std::vector<std::string> &items) {
    std::string out;
    for (const auto &item : items) out += (out.empty() ? "" : ",") + item;
    return out;
}

// The RTMR3 runtime events called `name`, in log order.
std::vector<const RuntimeEvent *> rtmr3_events(const ReplayedRtmrs &replayed, std::string_view name) {
    std::vector<const RuntimeEvent *> out;
    for (const RuntimeEvent &event : replayed.runtime_events)
        if (event.imr == 3 && event.name == name) out.push_back(&event);
    return out;
}

// The payload of the one RTMR3 runtime event called `name`; null when there is none; a second
// event of that name fails `check` (which value is meant would be ambiguous).
const std::vector<uint8_t> *sole_event(const ReplayedRtmrs &replayed, std::string_view name, std::string_view check,
                                       ReportChecks &checks) {
    const std::vector<const RuntimeEvent *> events = rtmr3_events(replayed, name);
    if (events.size() > 1)
        checks.fail(check, code::kMeasurementRejected, "event log has more than one " + std::string(name) + " event");
    return events.empty() ? nullptr : &events.front()->payload;
}

// dstack names its development images dstack-dev-<version> and dstack-nvidia-dev-<version>.
bool is_dev_image_name(std::string_view name) {
    size_t start = 0;
    while (start <= name.size()) {
        const size_t end = std::min(name.find('-', start), name.size());
        if (name.substr(start, end - start) == "dev") return true;
        start = end + 1;
    }
    return false;
}

void check_dev_os_image(const TdxEvidence &evidence, bool allowed, ReportChecks &checks) {
    const json::Value *image = evidence.vm_config ? evidence.vm_config->find("image") : nullptr;
    if (!image || !image->is_string()) {
        checks.pass("dev_os_image", "no OS image name served (vm_config.image)");
        return;
    }
    const std::string &name = image->as_string();
    if (!is_dev_image_name(name)) {
        checks.pass("dev_os_image", "OS image " + name + " is not a dstack development image");
        return;
    }
    if (!allowed)
        checks.fail("dev_os_image", code::kMeasurementRejected,
                    "OS image " + name + " is a dstack development image (allow_dev_os_image is false)");
    checks.pass("dev_os_image", "dstack development image " + name + " allowed by allow_dev_os_image");
}

// Checks one pinned runtime event against its allowlist as check `check`.
void check_event_pin(const ReplayedRtmrs &replayed, std::string_view event, const HexAllowlist &pins,
                     std::string_view check, std::string_view model, ReportChecks &checks) {
    if (pins.empty()) return;
    const std::vector<uint8_t> *payload = sole_event(replayed, event, check, checks);
    if (!payload) checks.fail(check, code::kMeasurementRejected, "event log has no " + std::string(event) + " event");
    if (!allowlisted(pins, *payload))
        checks.fail(check, code::kMeasurementRejected,
                    std::string(event) + " " + to_hex(*payload) + " is not pinned for model " + std::string(model));
    checks.pass(check, std::string(event) + " " + to_hex(*payload) + " is pinned for model " + std::string(model));
}

}  // namespace

bool WorkloadPins::pins_anything() const {
    return !compose_hash.empty() || !app_id.empty() || !instance_id.empty() || !os_image_hash.empty() || !rtmr3.empty();
}

bool WorkloadPins::applies_to(std::string_view model) const {
    return std::any_of(models.begin(), models.end(), [&](const std::string &glob) { return glob_match(glob, model); });
}

WorkloadPolicy WorkloadPolicy::from_config(const json::Value &config) {
    WorkloadPolicy policy;
    policy.allow_dev_os_image = flag(config, "allow_dev_os_image", "").value_or(false);
    const json::Value *list = config.find("workload");
    if (!list || list->is_null()) return policy;
    if (list->is_object()) {
        policy.entries.push_back(parse_entry(*list, "workload"));
        return policy;
    }
    if (!list->is_array()) bad("workload must be a list of tables ([[plugin_config.tdx-dcap.workload]])");
    for (size_t i = 0; i < list->as_array().size(); ++i)
        policy.entries.push_back(parse_entry(list->as_array()[i], "workload[" + std::to_string(i) + "]"));
    return policy;
}

bool WorkloadPolicy::pins_anything() const {
    return std::any_of(entries.begin(), entries.end(), [](const WorkloadPins &e) { return e.pins_anything(); });
}

void WorkloadPolicy::check(std::string_view model, const Quote &quote, const TdxEvidence &evidence,
                           const ReplayedRtmrs *replayed, ReportChecks &checks) const {
    const auto entry = std::find_if(entries.begin(), entries.end(), [&](const WorkloadPins &e) { return e.applies_to(model); });
    const WorkloadPins *pins = entry == entries.end() ? nullptr : &*entry;
    const char *rejected = code::kMeasurementRejected;

    if (replayed) {
        json::Value workload = json::Value::object();
        for (std::string_view name : {"app-id", "compose-hash", "instance-id", "os-image-hash"}) {
            std::string key(name);
            std::replace(key.begin(), key.end(), '-', '_');
            const std::vector<const RuntimeEvent *> events = rtmr3_events(*replayed, name);
            workload.set(key, events.size() == 1 ? json::Value(to_hex(events.front()->payload)) : json::Value());
        }
        workload.set("rtmr3", to_hex(quote.rtmr(3)));
        workload.set("policy", pins ? json::Value(joined(pins->models)) : json::Value());
        checks.set_tdx("workload", std::move(workload));
    }

    check_dev_os_image(evidence, pins && pins->allow_dev_os_image ? *pins->allow_dev_os_image : allow_dev_os_image,
                       checks);

    if (!pins || !pins->pins_anything()) return;
    if (!replayed)
        checks.fail("workload_events", rejected,
                    "model " + std::string(model) + " has workload pins, which need the event log (RTMR3 replay)");

    if (const std::vector<uint8_t> *compose = sole_event(*replayed, "compose-hash", "workload_events", checks);
        compose && quote.mr_config_id()[0] == 0x01 &&
        !std::equal(compose->begin(), compose->end(), quote.mr_config_id().begin() + 1, quote.mr_config_id().begin() + 33))
        checks.fail("workload_events", rejected, "compose-hash event differs from the compose hash in MRCONFIGID");
    if (const json::Value *served = evidence.vm_config ? evidence.vm_config->find("os_image_hash") : nullptr;
        served && served->is_string()) {
        const std::vector<uint8_t> *event = sole_event(*replayed, "os-image-hash", "workload_events", checks);
        if (!event || to_lower_ascii(hex::strip_0x(trim_ascii(served->as_string()))) != to_hex(*event))
            checks.fail("workload_events", rejected, "vm_config.os_image_hash differs from the os-image-hash event");
    }
    checks.pass("workload_events", "RTMR3 runtime events replayed, unique and consistent with MRCONFIGID and vm_config");

    check_event_pin(*replayed, "compose-hash", pins->compose_hash, "workload_compose_hash", model, checks);
    check_event_pin(*replayed, "app-id", pins->app_id, "workload_app_id", model, checks);
    check_event_pin(*replayed, "instance-id", pins->instance_id, "workload_instance_id", model, checks);
    check_event_pin(*replayed, "os-image-hash", pins->os_image_hash, "workload_os_image_hash", model, checks);
    if (!pins->rtmr3.empty()) {
        if (!allowlisted(pins->rtmr3, quote.rtmr(3)))
            checks.fail("workload_rtmr3", rejected,
                        "RTMR3 " + to_hex(quote.rtmr(3)) + " is not pinned for model " + std::string(model));
        checks.pass("workload_rtmr3", "RTMR3 (replayed from the event log) is pinned for model " + std::string(model));
    }
}

}  // namespace vep::tdx_dcap
