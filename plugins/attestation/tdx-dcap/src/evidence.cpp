// The TDX-related fields of an upstream attestation response (see evidence.hpp).
#include "evidence.hpp"

#include <array>

#include "failure_codes.hpp"
#include "quote.hpp"
#include "vep/attestation/base64.hpp"
#include "vep/hex.hpp"
#include "vep/sdk.hpp"
#include "vep/text.hpp"

namespace vep::tdx_dcap {
namespace {

// A member path such as attestation.evidence.quote (up to three keys; unused keys are empty).
using Path = std::array<std::string_view, 3>;

const json::Value *at(const json::Value &root, const Path &path) {
    const json::Value *v = &root;
    for (std::string_view key : path) {
        if (key.empty()) break;
        v = v->find(key);
        if (!v) return nullptr;
    }
    return v;
}

[[noreturn]] void invalid(const std::string &why) { throw Failure(code::kInvalidTdxEvidence, why); }

// Decodes a served quote: hex (either case, optional 0x) first, else standard base64.
std::vector<uint8_t> decode_quote(const json::Value &v, std::string_view field) {
    if (!v.is_string()) invalid(std::string(field) + " is not a string");
    const std::string_view text = trim_ascii(v.as_string());
    if (text.size() > 2 * kMaxQuoteSize + 2) invalid(std::string(field) + " is too large");
    const std::string_view digits = hex::strip_0x(text);
    if (hex::is_hex(digits)) return *hex::decode(digits);
    if (auto bytes = attestation::base64_decode(text)) return std::move(*bytes);
    invalid(std::string(field) + " is neither hex nor base64");
}

std::string path_name(const Path &path) {
    std::string name;
    for (std::string_view key : path) {
        if (key.empty()) continue;
        if (!name.empty()) name += '.';
        name += key;
    }
    return name;
}

std::optional<std::string> string_at(const json::Value &root, const Path &path) {
    const json::Value *v = at(root, path);
    if (!v || v->is_null()) return std::nullopt;
    if (!v->is_string()) invalid("evidence field " + path_name(path) + " is not a string");
    return v->as_string();
}

// The member at `path`, parsed a second time when it is served as a JSON string.
std::optional<json::Value> embedded_json_at(const json::Value &root, const Path &path) {
    const json::Value *v = at(root, path);
    if (!v || v->is_null()) return std::nullopt;
    if (!v->is_string()) return *v;
    try {
        return json::parse(v->as_string());
    } catch (const json::ParseError &e) {
        invalid(path_name(path) + " is not JSON: " + e.what());
    }
}

}  // namespace

TdxEvidence extract_tdx_evidence(std::string_view evidence_json) {
    json::Value root;
    try {
        root = json::parse(evidence_json);
    } catch (const json::ParseError &e) {
        throw Failure(code::kMalformedResponse, std::string("attestation response is not JSON: ") + e.what());
    }
    if (!root.is_object()) throw Failure(code::kMalformedResponse, "attestation response is not a JSON object");

    TdxEvidence ev;
    bool have_quote = false;
    static constexpr Path kQuotePaths[] = {{"attestation", "evidence", "quote"}, {"intel_quote"}, {"quote"}};
    for (const Path &path : kQuotePaths) {
        const json::Value *v = at(root, path);
        if (!v || v->is_null()) continue;
        const std::string name = path_name(path);
        std::vector<uint8_t> bytes = decode_quote(*v, name);
        if (bytes.empty()) invalid(std::string(name) + " is empty");
        if (have_quote && bytes != ev.quote) invalid(std::string(name) + " differs from another copy of the quote");
        ev.quote = std::move(bytes);
        have_quote = true;
    }

    static constexpr Path kReportDataPaths[] = {
        {"attestation", "evidence", "quote_report_data"}, {"quote_report_data"}, {"tdx_reportdata"}};
    for (const Path &path : kReportDataPaths) {
        auto text = string_at(root, path);
        if (!text) continue;
        auto bytes = hex::decode(hex::strip_0x(trim_ascii(*text)));
        if (!bytes || bytes->size() != 64) invalid("quote report data is not 64 bytes of hex");
        if (ev.quote_report_data && *ev.quote_report_data != *bytes) invalid("served report data copies differ");
        ev.quote_report_data = std::move(*bytes);
    }

    ev.signing_public_key = string_at(root, Path{"signing_public_key"});
    if (!ev.signing_public_key) ev.signing_public_key = string_at(root, Path{"signing_key"});
    ev.signing_address = string_at(root, Path{"signing_address"});

    static constexpr Path kComposePaths[] = {
        {"attestation", "evidence", "app_compose"}, {"app_compose"}, {"info", "tcb_info", "app_compose"}};
    for (const Path &path : kComposePaths) {
        if ((ev.app_compose = string_at(root, path))) break;
    }

    static constexpr Path kEventLogPaths[] = {
        {"attestation", "evidence", "event_log"}, {"event_log"}, {"info", "tcb_info", "event_log"}};
    for (const Path &path : kEventLogPaths) {
        if ((ev.event_log = embedded_json_at(root, path))) {
            if (!ev.event_log->is_array()) invalid("event_log is not an array");
            break;
        }
    }

    static constexpr Path kVmConfigPaths[] = {{"attestation", "evidence", "vm_config"}, {"vm_config"}, {"info", "vm_config"}};
    for (const Path &path : kVmConfigPaths) {
        if ((ev.vm_config = embedded_json_at(root, path))) {
            if (!ev.vm_config->is_object()) invalid("vm_config is not an object");
            break;
        }
    }
    return ev;
}

}  // namespace vep::tdx_dcap
