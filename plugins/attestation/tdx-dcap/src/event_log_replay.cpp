// Replays a dstack event log into RTMR values (see event_log_replay.hpp).
#include "event_log_replay.hpp"

#include <algorithm>
#include <string>
#include <vector>

#include "vep/hex.hpp"

namespace vep::tdx_dcap {
namespace {

constexpr uint64_t kDstackRuntimeEvent = 0x08000001;
constexpr size_t kMaxEvents = 4096;

std::vector<uint8_t> hex_field(const json::Value &entry, std::string_view key, size_t index) {
    const json::Value *v = entry.find(key);
    if (!v || !v->is_string()) throw EventLogError("event " + std::to_string(index) + " has no " + std::string(key));
    auto bytes = hex::decode(hex::strip_0x(v->as_string()));
    if (!bytes) throw EventLogError("event " + std::to_string(index) + " " + std::string(key) + " is not hex");
    return std::move(*bytes);
}

// The digest a dstack runtime event must carry.
Sha384 runtime_event_digest(const json::Value &entry, const std::string &name, const std::vector<uint8_t> &payload) {
    uint64_t version = 1;
    if (const json::Value *v = entry.find("version"); v && !v->get_u64(version))
        throw EventLogError("runtime event version is not an integer");
    std::vector<uint8_t> preimage;
    if (version == 1) {
        for (int i = 0; i < 4; ++i) preimage.push_back(static_cast<uint8_t>(kDstackRuntimeEvent >> (8 * i)));
        preimage.push_back(':');
        preimage.insert(preimage.end(), name.begin(), name.end());
        preimage.push_back(':');
        preimage.insert(preimage.end(), payload.begin(), payload.end());
    } else if (version == 2) {
        json::Value canonical = json::Value::object();
        canonical.set("name", name);
        canonical.set("payload", hex::encode(payload));
        canonical.set("type", static_cast<int64_t>(kDstackRuntimeEvent));
        const std::string text = json::dump_sorted(canonical);
        preimage.assign(text.begin(), text.end());
    } else {
        throw EventLogError("unsupported runtime event version " + std::to_string(version));
    }
    return sha384(preimage);
}

}  // namespace

ReplayedRtmrs replay_event_log(const json::Value &log) {
    if (!log.is_array()) throw EventLogError("event log is not an array");
    if (log.as_array().size() > kMaxEvents) throw EventLogError("event log has more than 4096 entries");
    ReplayedRtmrs out;
    size_t index = 0;
    for (const json::Value &entry : log.as_array()) {
        if (!entry.is_object()) throw EventLogError("event " + std::to_string(index) + " is not an object");
        uint64_t imr = 0, type = 0;
        const json::Value *imr_v = entry.find("imr");
        const json::Value *type_v = entry.find("event_type");
        if (!imr_v || !imr_v->get_u64(imr) || imr > 3)
            throw EventLogError("event " + std::to_string(index) + " has no valid imr");
        if (!type_v || !type_v->get_u64(type))
            throw EventLogError("event " + std::to_string(index) + " has no valid event_type");
        const std::vector<uint8_t> digest = hex_field(entry, "digest", index);
        if (digest.size() != 48) throw EventLogError("event " + std::to_string(index) + " digest is not 48 bytes");
        if (type == kDstackRuntimeEvent) {
            const json::Value *name = entry.find("event");
            if (!name || !name->is_string()) throw EventLogError("runtime event " + std::to_string(index) + " has no name");
            std::vector<uint8_t> payload = hex_field(entry, "event_payload", index);
            const Sha384 expected = runtime_event_digest(entry, name->as_string(), payload);
            if (!std::equal(expected.begin(), expected.end(), digest.begin(), digest.end()))
                throw EventLogError("runtime event \"" + name->as_string() + "\" digest does not match its payload");
            out.runtime_events.push_back(RuntimeEvent{imr, name->as_string(), std::move(payload)});
        }
        Sha384 &rtmr = out.rtmr[imr];
        std::vector<uint8_t> extend(rtmr.begin(), rtmr.end());
        extend.insert(extend.end(), digest.begin(), digest.end());
        rtmr = sha384(extend);
        ++out.events[imr];
        ++index;
    }
    return out;
}

}  // namespace vep::tdx_dcap
