// nvidia-evidence configuration parsing (see plugin_config.hpp).
#include "plugin_config.hpp"

#include "gpu_certificate_chain.hpp"
#include "vep/attestation/timestamp.hpp"
#include "vep/hex.hpp"
#include "vep/sdk.hpp"
#include "vep/text.hpp"

namespace vep::nvidia {
namespace {

constexpr int64_t kMaxTimeoutMs = 60000;
constexpr int64_t kMaxGraceSeconds = 30 * 24 * 3600;

[[noreturn]] void bad(const std::string &why) { throw Failure("invalid_config", why); }

const json::Value *member(const json::Value &config, std::string_view key) {
    const json::Value *v = config.find(key);
    return v && !v->is_null() ? v : nullptr;
}

std::set<std::string> fingerprints(const json::Value &v, const char *key) {
    if (!v.is_array() || v.as_array().empty()) bad(std::string(key) + " must be a non-empty array of SHA-256 fingerprints");
    std::set<std::string> pins;
    for (const auto &pin : v.as_array()) {
        if (!pin.is_string()) bad(std::string(key) + " entries must be strings");
        std::string fingerprint = to_lower_ascii(trim_ascii(pin.as_string()));
        std::erase(fingerprint, ':');
        if (fingerprint.size() != 64 || !hex::is_hex(fingerprint))
            bad(std::string(key) + " entry is not 64 hex characters: " + pin.as_string());
        pins.insert(fingerprint);
    }
    return pins;
}

std::string string_key(const json::Value &config, const char *key) {
    const json::Value *v = member(config, key);
    if (!v) return "";
    if (!v->is_string()) bad(std::string(key) + " must be a string");
    return std::string(trim_ascii(v->as_string()));
}

int64_t integer_key(const json::Value &config, const char *key, int64_t fallback, int64_t min, int64_t max) {
    const json::Value *v = member(config, key);
    if (!v) return fallback;
    int64_t out = 0;
    if (!v->get_i64(out) || out < min || out > max)
        bad(std::string(key) + " must be an integer from " + std::to_string(min) + " to " + std::to_string(max));
    return out;
}

bool bool_key(const json::Value &config, const char *key) {
    const json::Value *v = member(config, key);
    if (!v) return false;
    if (!v->is_bool()) bad(std::string(key) + " must be true or false");
    return v->as_bool();
}

std::string choice_key(const json::Value &config, const char *key, const char *off, const char *on) {
    const std::string value = string_key(config, key);
    if (value.empty()) return off;
    if (value != off && value != on) bad(std::string(key) + " must be \"" + off + "\" or \"" + on + "\"");
    return value;
}

}  // namespace

PluginConfig PluginConfig::parse(const json::Value &config) {
    attestation::reject_unknown_config_keys(
        config, {"root_ca_sha256", "verification_time", "rim", "rim_root_ca_sha256", "rim_directory", "rim_service_url",
                 "rim_timeout_ms", "revocation", "ocsp_url", "ocsp_timeout_ms", "ocsp_allow_unknown",
                 "ocsp_revoked_grace_seconds", "ocsp_unreachable_grace_seconds"});
    PluginConfig out;
    out.policy = attestation::parse_attestation_policy(config);
    const json::Value *roots = member(config, "root_ca_sha256");
    out.root_sha256 = roots ? fingerprints(*roots, "root_ca_sha256") : std::set<std::string>{kNvidiaDeviceIdentityRootSha256};
    if (const json::Value *v = member(config, "verification_time")) {
        out.verification_time = attestation::parse_timestamp(*v);
        if (!out.verification_time || *out.verification_time <= 0)
            bad("verification_time must be Unix seconds or an RFC 3339 time");
    }

    out.rim.required = choice_key(config, "rim", "off", "required") == "required";
    out.rim.directory = string_key(config, "rim_directory");
    out.rim.service_url = string_key(config, "rim_service_url");
    out.rim.timeout = std::chrono::milliseconds(integer_key(config, "rim_timeout_ms", 5000, 1, kMaxTimeoutMs));
    if (const json::Value *v = member(config, "rim_root_ca_sha256")) out.rim.root_sha256 = fingerprints(*v, "rim_root_ca_sha256");
    if (out.rim.required && out.rim.root_sha256.empty()) bad("rim = \"required\" needs rim_root_ca_sha256");
    if (out.rim.required && out.rim.directory.empty() && out.rim.service_url.empty())
        bad("rim = \"required\" needs rim_directory or rim_service_url");

    out.ocsp = choice_key(config, "revocation", "off", "ocsp") == "ocsp";
    out.ocsp_settings.responder_url = string_key(config, "ocsp_url");
    out.ocsp_settings.timeout = std::chrono::milliseconds(integer_key(config, "ocsp_timeout_ms", 5000, 1, kMaxTimeoutMs));
    out.ocsp_settings.allow_unknown = bool_key(config, "ocsp_allow_unknown");
    out.ocsp_settings.revoked_grace_seconds = integer_key(config, "ocsp_revoked_grace_seconds", 0, 0, kMaxGraceSeconds);
    out.ocsp_settings.unreachable_grace_seconds =
        integer_key(config, "ocsp_unreachable_grace_seconds", 0, 0, kMaxGraceSeconds);
    return out;
}

}  // namespace vep::nvidia
