#include "runtime_settings.hpp"

#include <array>
#include <utility>

#include "vep/json.hpp"
#include "vep/sdk.hpp"

namespace vep::sim {
namespace {

constexpr std::array<std::pair<AttestationFault, const char *>, 11> kAttestationFaults{{
    {AttestationFault::None, "none"},
    {AttestationFault::NonceMismatch, "nonce_mismatch"},
    {AttestationFault::ModelMismatch, "model_mismatch"},
    {AttestationFault::AddressMismatch, "address_mismatch"},
    {AttestationFault::NotVerified, "not_verified"},
    {AttestationFault::DebugQuote, "debug_quote"},
    {AttestationFault::BadQuoteSignature, "bad_quote_signature"},
    {AttestationFault::ReportDataAddressMismatch, "report_data_address_mismatch"},
    {AttestationFault::ReportDataNonceMismatch, "report_data_nonce_mismatch"},
    {AttestationFault::Unauthorized, "status_401"},
    {AttestationFault::ServerError, "status_500"},
}};

constexpr std::array<std::pair<ModelsFault, const char *>, 6> kModelsFaults{{
    {ModelsFault::None, "none"},
    {ModelsFault::Unauthorized, "status_401"},
    {ModelsFault::ServerError, "status_500"},
    {ModelsFault::Malformed, "malformed"},
    {ModelsFault::InvalidJson, "invalid_json"},
    {ModelsFault::Slow, "slow"},
}};

constexpr std::array<std::pair<ReceiptFault, const char *>, 6> kReceiptFaults{{
    {ReceiptFault::None, "none"},
    {ReceiptFault::BadSignature, "bad_signature"},
    {ReceiptFault::WrongSigner, "wrong_signer"},
    {ReceiptFault::OtherRequest, "other_request"},
    {ReceiptFault::BadReceiptSignature, "bad_receipt_signature"},
    {ReceiptFault::Missing, "status_404"},
}};

[[noreturn]] void invalid(const std::string &message) { throw vep::Failure("invalid_sim_config", message); }

template <typename Enum, size_t N>
Enum lookup(const std::array<std::pair<Enum, const char *>, N> &table, std::string_view name, const char *key) {
    for (const auto &[value, text] : table)
        if (name == text) return value;
    invalid(std::string("unknown ") + key + " value \"" + std::string(name) + "\"");
}

template <typename Enum, size_t N>
const char *name_of(const std::array<std::pair<Enum, const char *>, N> &table, Enum value) {
    for (const auto &[v, text] : table)
        if (v == value) return text;
    return "none";
}

const std::string &string_member(const json::Member &m) {
    if (!m.second.is_string()) invalid("\"" + m.first + "\" must be a string");
    return m.second.as_string();
}

}  // namespace

const char *to_string(AttestationFault fault) { return name_of(kAttestationFaults, fault); }
const char *to_string(ModelsFault fault) { return name_of(kModelsFaults, fault); }
const char *to_string(ReceiptFault fault) { return name_of(kReceiptFaults, fault); }
const char *to_string(AttestationShape shape) { return shape == AttestationShape::Aci ? "aci" : "flat"; }

AttestationShape parse_attestation_shape(std::string_view name) {
    if (name == "aci" || name == "aci/1") return AttestationShape::Aci;
    if (name == "flat" || name == "legacy") return AttestationShape::Flat;
    invalid("unknown attestation_shape \"" + std::string(name) + "\" (expected aci or flat)");
}

RuntimeSettingsValues RuntimeSettings::get() const {
    std::lock_guard<std::mutex> lock(mu_);
    return values_;
}

void RuntimeSettings::apply_json(std::string_view config_json) {
    json::Value doc;
    try {
        doc = json::parse(config_json);
    } catch (const json::ParseError &e) {
        invalid(std::string("config body is not JSON: ") + e.what());
    }
    if (!doc.is_object()) invalid("config body must be a JSON object");
    std::lock_guard<std::mutex> lock(mu_);
    RuntimeSettingsValues next = values_;
    for (const auto &m : doc.as_object()) {
        if (m.first == "attestation_fault")
            next.attestation_fault = lookup(kAttestationFaults, string_member(m), "attestation_fault");
        else if (m.first == "attestation_fault_model")
            next.attestation_fault_model = string_member(m);
        else if (m.first == "models_fault")
            next.models_fault = lookup(kModelsFaults, string_member(m), "models_fault");
        else if (m.first == "receipt_fault")
            next.receipt_fault = lookup(kReceiptFaults, string_member(m), "receipt_fault");
        else if (m.first == "attestation_shape")
            next.attestation_shape = parse_attestation_shape(string_member(m));
        else
            invalid("unknown config key \"" + m.first + "\"");
    }
    values_ = next;
}

void RuntimeSettings::reset() {
    std::lock_guard<std::mutex> lock(mu_);
    values_ = RuntimeSettingsValues{};
}

}  // namespace vep::sim
