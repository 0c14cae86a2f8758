// Reading both attestation body shapes (see envelope_fields.hpp).
#include "envelope_fields.hpp"

#include "vep/attestation/timestamp.hpp"
#include "vep/hex.hpp"
#include "vep/sdk.hpp"
#include "vep/text.hpp"

namespace vep::envelope {
namespace {

[[noreturn]] void malformed(const std::string &why) {
    throw Failure("attestation_malformed_response", "malformed attestation response: " + why);
}

// A member that must be a string when present (null counts as absent).
std::optional<std::string> text(const json::Value &obj, std::string_view key, std::string_view where) {
    const json::Value *v = obj.find(key);
    if (!v || v->is_null()) return std::nullopt;
    if (!v->is_string()) malformed(std::string(where) + std::string(key) + " must be a string");
    return v->as_string();
}

// Like text(), but a trimmed-empty value counts as absent.
std::optional<std::string> non_blank(const json::Value &obj, std::string_view key, std::string_view where) {
    auto v = text(obj, key, where);
    if (v && trim_ascii(*v).empty()) return std::nullopt;
    return v;
}

std::optional<bool> flag(const json::Value &obj, std::string_view key) {
    const json::Value *v = obj.find(key);
    if (!v || v->is_null()) return std::nullopt;
    if (!v->is_bool()) malformed(std::string(key) + " must be a boolean");
    return v->as_bool();
}

// An optional object member; null counts as absent, any other non-object is malformed.
const json::Value *sub_object(const json::Value &obj, std::string_view key, std::string_view where) {
    const json::Value *v = obj.find(key);
    if (!v || v->is_null()) return nullptr;
    if (!v->is_object()) malformed(std::string(where) + std::string(key) + " must be an object");
    return v;
}

void take_earliest(std::optional<int64_t> &earliest, const json::Value *holder, std::string_view key,
                   std::string_view where) {
    if (!holder) return;
    const json::Value *v = holder->find(key);
    if (!v || v->is_null()) return;
    const auto t = attestation::parse_timestamp(*v);
    if (!t) malformed(std::string(where) + std::string(key) + " is not an RFC 3339 time or Unix seconds");
    if (!earliest || *t < *earliest) earliest = t;
}

void read_freshness(const json::Value &root, const json::Value *attestation, EnvelopeFields &out) {
    if (attestation) {
        take_earliest(out.freshness_not_after, sub_object(*attestation, "freshness", "attestation."), "stale_after",
                      "attestation.freshness.");
        if (const json::Value *keyset = sub_object(*attestation, "workload_keyset", "attestation."))
            take_earliest(out.freshness_not_after, sub_object(*keyset, "keyset_epoch", "workload_keyset."),
                          "not_after", "workload_keyset.keyset_epoch.");
    }
    if (const json::Value *keyset = sub_object(root, "workload_keyset", ""))
        take_earliest(out.freshness_not_after, sub_object(*keyset, "keyset_epoch", "workload_keyset."), "not_after",
                      "workload_keyset.keyset_epoch.");
}

}  // namespace

EnvelopeFields read_envelope_fields(const json::Value &root) {
    if (!root.is_object()) malformed("body is not a JSON object");
    EnvelopeFields out;
    const json::Value *attestation = nullptr;
    if (const json::Value *a = root.find("attestation")) {
        if (!a->is_object()) malformed("attestation must be an object");
        attestation = a;
    }
    out.shape = attestation ? "aci/1" : "flat";
    out.verified = flag(root, "verified");
    out.nonce = text(root, "nonce", "");
    out.model = text(root, "model", "");
    out.tee_provider = non_blank(root, "tee_provider", "");
    out.signing_public_key = non_blank(root, "signing_public_key", "");
    out.signing_address = non_blank(root, "signing_address", "");
    out.debug = flag(root, "debug");
    if (attestation) {
        if (const json::Value *e = attestation->find("evidence")) {
            if (!e->is_object()) malformed("attestation.evidence must be an object");
            out.quote = non_blank(*e, "quote", "attestation.evidence.");
            out.quote_report_data = non_blank(*e, "quote_report_data", "attestation.evidence.");
        }
        out.root_intel_quote = non_blank(root, "intel_quote", "");
        if (!out.quote) out.quote = out.root_intel_quote;
    } else {
        if (!out.signing_public_key) out.signing_public_key = non_blank(root, "signing_key", "");
        out.quote = non_blank(root, "intel_quote", "");
        out.quote_report_data = non_blank(root, "tdx_reportdata", "");
        if (!out.debug) out.debug = flag(root, "tdx_debug");
    }
    if (const json::Value *p = root.find("nvidia_payload"); p && !p->is_null()) out.nvidia_payload = *p;
    read_freshness(root, attestation, out);
    const json::Value *keyset = attestation ? sub_object(*attestation, "workload_keyset", "attestation.") : nullptr;
    if (!keyset) keyset = sub_object(root, "workload_keyset", "");
    if (keyset) out.workload_keyset = *keyset;
    out.workload_keyset_digest = non_blank(root, "workload_keyset_digest", "");
    return out;
}

}  // namespace vep::envelope
