// The envelope check sequence (see envelope_verifier.hpp).
#include "envelope_verifier.hpp"

#include <openssl/sha.h>

#include "envelope_fields.hpp"
#include "report_data_binding.hpp"
#include "tdx_quote_summary.hpp"
#include "vep/attestation/check_log.hpp"
#include "vep/attestation/rfc8785_canonical_json.hpp"
#include "vep/attestation/secp256k1_public_key.hpp"
#include "vep/hex.hpp"
#include "vep/text.hpp"

namespace vep::envelope {
namespace {

using attestation::CheckLog;
using attestation::NvidiaRequirement;

constexpr const char *kVerifier = "envelope";

// Runs `fn`; a vep::Failure it throws is recorded as the failed check `name` and rethrown.
template <typename Fn>
auto checked(CheckLog &log, std::string_view name, Fn &&fn) {
    try {
        return fn();
    } catch (const Failure &f) {
        log.fail(name, f.code(), f.what());
    }
}

[[noreturn]] void missing_field(CheckLog &log, std::string_view check, std::string_view field) {
    log.fail(check, "attestation_missing_required_field",
             "attestation response is missing required field `" + std::string(field) + "`");
}

const json::Value *prior_member(const json::Value *prior, std::string_view object, std::string_view key) {
    if (!prior) return nullptr;
    const json::Value *o = prior->find(object);
    return o ? o->find(key) : nullptr;
}

void check_verdict(CheckLog &log, const EnvelopeFields &f) {
    if (!f.verified) missing_field(log, "upstream_verified", "verified");
    if (!*f.verified)
        log.fail("upstream_verified", "attestation_upstream_not_verified", "upstream reports verified=false");
    log.pass("upstream_verified", "upstream reports verified=true");
}

// The echo checks of nonce and model: absent -> missing, blank -> malformed, different -> mismatch.
void check_echo(CheckLog &log, std::string_view check, std::string_view field, const std::optional<std::string> &got,
                std::string_view expected, const char *mismatch_code) {
    if (!got) missing_field(log, check, field);
    if (trim_ascii(*got).empty())
        log.fail(check, "attestation_malformed_response", "attestation field `" + std::string(field) + "` is empty");
    if (*got != expected)
        log.fail(check, mismatch_code, "attestation " + std::string(field) + " does not match the request");
    log.pass(check, std::string(field) + " matches the request");
}

std::string check_signing_address(CheckLog &log, const EnvelopeFields &f, const std::string &derived) {
    if (!f.signing_address) {
        log.pass("signing_address", "no signing_address given; derived " + derived);
        return derived;
    }
    const std::string_view given = hex::strip_0x(trim_ascii(*f.signing_address));
    if (given.size() != 40 || !hex::is_hex(given))
        log.fail("signing_address", "attestation_signing_address_mismatch", "signing_address is not 40 hex characters");
    if ("0x" + to_lower_ascii(given) != derived)
        log.fail("signing_address", "attestation_signing_address_mismatch",
                 "signing_address does not match the address derived from signing_public_key");
    log.pass("signing_address", "matches Keccak-256 of signing_public_key: " + derived);
    return derived;
}

// The workload keyset's digest ("sha256:" + hex SHA-256 of its RFC 8785 form) must equal a served
// workload_keyset_digest; the report gets the digest and the receipt signing keys (for receipts).
void check_workload_keyset(CheckLog &log, const EnvelopeFields &f, json::Value &report) {
    if (!f.workload_keyset) return;
    const std::string canonical =
        checked(log, "workload_keyset", [&] { return attestation::canonical_json(*f.workload_keyset); });
    unsigned char digest[SHA256_DIGEST_LENGTH];
    SHA256(reinterpret_cast<const unsigned char *>(canonical.data()), canonical.size(), digest);
    const std::string computed = "sha256:" + hex::encode(digest, sizeof digest);
    if (f.workload_keyset_digest && to_lower_ascii(trim_ascii(*f.workload_keyset_digest)) != computed)
        log.fail("workload_keyset", "attestation_malformed_response",
                 "workload_keyset_digest does not match the served workload_keyset (" + computed + ")");
    const json::Value *keys = f.workload_keyset->find("receipt_signing_keys");
    if (keys && !keys->is_array())
        log.fail("workload_keyset", "attestation_malformed_response", "receipt_signing_keys must be an array");
    json::Value keyset = json::Value::object();
    keyset.set("digest", computed);
    keyset.set("receipt_signing_keys", keys ? *keys : json::Value::array());
    report.set("workload_keyset", std::move(keyset));
    log.pass("workload_keyset", computed + (f.workload_keyset_digest ? " (matches workload_keyset_digest)" : ""));
}

std::vector<uint8_t> decode_quote(CheckLog &log, const std::string &text, std::string_view what) {
    auto bytes = hex::decode(hex::strip_0x(trim_ascii(text)));
    if (!bytes) log.fail("tdx_quote", "attestation_invalid_tdx_evidence", std::string(what) + " is not valid hex");
    return std::move(*bytes);
}

}  // namespace

EnvelopeVerifier::EnvelopeVerifier(const json::Value &config) : policy_(attestation::parse_attestation_policy(config)) {
    attestation::reject_unknown_config_keys(config, {"freshness_skew_seconds"});
    if (const json::Value *v = config.find("freshness_skew_seconds"); v && !v->is_null()) {
        if (!v->get_i64(freshness_skew_seconds_) || freshness_skew_seconds_ < 0 || freshness_skew_seconds_ > 3600)
            throw Failure("invalid_config", "freshness_skew_seconds must be an integer in [0, 3600]");
    }
}

void EnvelopeVerifier::verify(const AttestationInput &in, json::Value &report) {
    CheckLog log(kVerifier, report);
    attestation::check_request_nonce(log, in.nonce_hex);

    const json::Value root = attestation::parse_evidence(log, "response_shape", in.evidence_json);
    const EnvelopeFields f = checked(log, "response_shape", [&] { return read_envelope_fields(root); });
    log.pass("response_shape", f.shape);

    check_verdict(log, f);
    check_echo(log, "nonce_echo", "nonce", f.nonce, in.nonce_hex, "attestation_nonce_mismatch");
    check_echo(log, "model_echo", "model", f.model, in.model, "attestation_model_mismatch");

    if (!f.signing_public_key) missing_field(log, "signing_key", "signing_public_key");
    const std::string key =
        checked(log, "signing_key", [&] { return attestation::normalize_secp256k1_public_key(*f.signing_public_key); });
    log.pass("signing_key", "valid secp256k1 public key");
    report.set("model_public_key", key);

    const std::string address = check_signing_address(log, f, attestation::ethereum_address(key));
    report.set("signing_address", address);
    if (f.tee_provider) report.set("tee_provider", std::string(trim_ascii(*f.tee_provider)));
    if (f.debug) report.set("debug", *f.debug);

    if (f.debug.value_or(false) && !policy_.allow_debug)
        log.fail("debug_flag", "attestation_debug_mode_detected", "upstream reports debug=true and allow_debug is false");
    log.pass("debug_flag", f.debug.value_or(false) ? "debug allowed by policy" : "debug off");

    check_tdx(log, f, key, address, in, report);
    check_nvidia(log, f, in, report);
    check_workload_keyset(log, f, report);

    if (f.freshness_not_after) {
        report.set("freshness_not_after", *f.freshness_not_after);
        const int64_t now = in.now_unix > 0 ? in.now_unix : Host::instance().now_unix();
        if (now > *f.freshness_not_after + freshness_skew_seconds_)
            log.fail("freshness", "attestation_evidence_expired",
                     "attestation evidence expired at " + std::to_string(*f.freshness_not_after));
        log.pass("freshness", "valid until " + std::to_string(*f.freshness_not_after));
    }
}

void EnvelopeVerifier::check_tdx(CheckLog &log, const EnvelopeFields &f, const std::string &key,
                                 const std::string &address, const AttestationInput &in, json::Value &report) const {
    json::Value tdx = json::Value::object();
    if (!f.quote) {
        if (policy_.require_tdx)
            log.fail("tdx_quote", "attestation_missing_tdx_evidence", "require_tdx is set but the response has no TDX quote");
        tdx.set("present", false);
        report.set("tdx", std::move(tdx));
        log.pass("tdx_quote", "no TDX quote (not required)");
        return;
    }
    const std::vector<uint8_t> quote = decode_quote(log, *f.quote, "TDX quote");
    if (f.root_intel_quote && decode_quote(log, *f.root_intel_quote, "intel_quote") != quote)
        log.fail("tdx_quote", "attestation_invalid_tdx_evidence", "intel_quote differs from attestation.evidence.quote");
    const TdxQuoteSummary summary = checked(log, "tdx_quote", [&] { return read_tdx_quote_summary(quote); });
    if (summary.debug && !policy_.allow_debug)
        log.fail("tdx_quote", "attestation_debug_mode_detected", "TDX quote has the DEBUG attribute and allow_debug is false");
    log.pass("tdx_quote", "TDX quote v" + std::to_string(summary.version) + (summary.debug ? ", debug" : ", debug off") +
                              " (signature not checked by this verifier)");

    if (f.quote_report_data) {
        const auto rd = hex::decode(*f.quote_report_data);
        if (!rd) log.fail("tdx_report_data", "attestation_invalid_tdx_evidence", "quote_report_data is not valid hex");
        if (rd->size() != 64)
            log.fail("tdx_report_data", "attestation_invalid_tdx_evidence", "quote_report_data is not 64 bytes");
        if (!std::equal(rd->begin(), rd->end(), summary.report_data.begin()))
            log.fail("tdx_report_data", "attestation_invalid_tdx_evidence",
                     "quote_report_data differs from the REPORTDATA inside the quote");
    }
    const std::vector<uint8_t> key_bytes = *hex::decode(key);
    const ReportDataBinding binding = checked(log, "tdx_report_data", [&] {
        return check_report_data_binding(summary.report_data, key_bytes, address, std::string(in.nonce_hex));
    });
    log.pass("tdx_report_data", "REPORTDATA binds the signing key (" + binding.key_binding + ") and the nonce (" +
                                    binding.nonce_binding + ")");

    tdx.set("present", true);
    if (!prior_member(in.prior, "tdx", "verified")) tdx.set("verified", false);
    tdx.set("debug", summary.debug);
    tdx.set("version", static_cast<int64_t>(summary.version));
    tdx.set("report_data_binding", binding.key_binding);
    tdx.set("nonce_binding", binding.nonce_binding);
    report.set("tdx", std::move(tdx));
}

void EnvelopeVerifier::check_nvidia(CheckLog &log, const EnvelopeFields &f, const AttestationInput &in,
                                    json::Value &report) const {
    json::Value nvidia = json::Value::object();
    std::string status;
    if (!f.nvidia_payload) {
        if (policy_.require_nvidia == NvidiaRequirement::Required)
            log.fail("nvidia_payload", "attestation_missing_nvidia_evidence",
                     "require_nvidia is \"required\" but the response has no nvidia_payload");
        status = "not-present";
    } else if (policy_.require_nvidia == NvidiaRequirement::Never) {
        status = "ignored";
    } else {
        if (!f.nvidia_payload->is_object() && !f.nvidia_payload->is_string())
            log.fail("nvidia_payload", "attestation_invalid_nvidia_evidence", "nvidia_payload must be a JSON object or string");
        status = "present-unverified";
    }
    const json::Value *prior_status = prior_member(in.prior, "nvidia", "status");
    if (prior_status && prior_status->is_string() && prior_status->as_string() == "verified") status = "verified";
    log.pass("nvidia_payload", "NVIDIA evidence " + status + " (require_nvidia " +
                                   std::string(attestation::to_string(policy_.require_nvidia)) + ")");
    nvidia.set("status", status);
    report.set("nvidia", std::move(nvidia));
}

}  // namespace vep::envelope
