// Signed RIM verification (see signed_rim.hpp).
#include "signed_rim.hpp"

#include <openssl/err.h>

#include "openssl_handles.hpp"
#include "pinned_chain.hpp"
#include "vep/attestation/base64.hpp"
#include "vep/hex.hpp"
#include "vep/json.hpp"
#include "vep/sdk.hpp"

namespace vep::nvidia {
namespace {

constexpr const char *kFormat = "vep-rim-v1";
constexpr size_t kMaxMeasurements = 256;
constexpr size_t kMaxAlternatives = 16;
constexpr size_t kMaxValueBytes = 64;

const std::string &string_member(const json::Value &obj, std::string_view key) {
    const json::Value *v = obj.find(key);
    if (!v || !v->is_string()) rim_invalid(std::string(key) + " must be a string");
    return v->as_string();
}

std::vector<uint8_t> base64_member(const json::Value &obj, std::string_view key) {
    auto bytes = attestation::base64_decode(string_member(obj, key));
    if (!bytes) rim_invalid(std::string(key) + " is not Base64");
    return std::move(*bytes);
}

GoldenMeasurement golden_measurement(const json::Value &entry, unsigned &index) {
    if (!entry.is_object()) rim_invalid("measurements entries must be objects");
    const json::Value *idx = entry.find("index");
    const json::Value *active = entry.find("active");
    const json::Value *values = entry.find("values");
    int64_t i = -1;
    if (!idx || !idx->get_i64(i) || i < 0 || i > 255) rim_invalid("measurement index must be an integer 0..255");
    index = static_cast<unsigned>(i);
    GoldenMeasurement out;
    if (active) {
        if (!active->is_bool()) rim_invalid("measurement active must be a boolean");
        out.active = active->as_bool();
    }
    if (!values || !values->is_array() || values->as_array().empty() || values->as_array().size() > kMaxAlternatives)
        rim_invalid("measurement " + std::to_string(index) + " needs 1.." + std::to_string(kMaxAlternatives) + " values");
    for (const auto &v : values->as_array()) {
        if (!v.is_string() || v.as_string().size() > 2 * kMaxValueBytes) rim_invalid("measurement values must be hex strings");
        auto bytes = hex::decode(v.as_string());
        if (!bytes || bytes->empty()) rim_invalid("measurement " + std::to_string(index) + " has a value that is not hex");
        out.values.push_back(std::move(*bytes));
    }
    return out;
}

}  // namespace

void rim_invalid(const std::string &why) {
    ERR_clear_error();
    throw Failure("attestation_invalid_nvidia_evidence", "RIM " + why);
}

SignedRim verify_signed_rim(const std::string &text, const std::set<std::string> &pinned_root_sha256, int64_t now) {
    if (text.size() > kMaxRimBytes) rim_invalid("is larger than " + std::to_string(kMaxRimBytes) + " bytes");
    json::Value envelope;
    try {
        envelope = json::parse(text, 8);
    } catch (const json::ParseError &e) {
        rim_invalid(std::string("is not JSON: ") + e.what());
    }
    if (!envelope.is_object() || string_member(envelope, "format") != kFormat)
        rim_invalid(std::string("is not a \"") + kFormat + "\" envelope");
    const std::vector<uint8_t> payload = base64_member(envelope, "payload");
    const std::vector<uint8_t> signature = base64_member(envelope, "signature");
    const PinnedChain chain =
        validate_pinned_chain(string_member(envelope, "certificate_chain"), pinned_root_sha256, now, "RIM signer chain");

    OpenSslPtr<EVP_PKEY> key(X509_get_pubkey(chain.certs.front().get()));
    OpenSslPtr<EVP_MD_CTX> ctx(EVP_MD_CTX_new());
    if (!key || !ctx || EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha384(), nullptr, key.get()) != 1 ||
        EVP_DigestVerify(ctx.get(), signature.data(), signature.size(), payload.data(), payload.size()) != 1)
        rim_invalid("signature does not verify with the signer certificate");

    json::Value body;
    try {
        body = json::parse(std::string_view(reinterpret_cast<const char *>(payload.data()), payload.size()), 8);
    } catch (const json::ParseError &e) {
        rim_invalid(std::string("payload is not JSON: ") + e.what());
    }
    if (!body.is_object()) rim_invalid("payload is not a JSON object");
    SignedRim out;
    out.rim_id = string_member(body, "rim_id");
    out.component = string_member(body, "component");
    out.version = string_member(body, "version");
    if (out.component != "driver" && out.component != "vbios") rim_invalid("component must be \"driver\" or \"vbios\"");
    const json::Value *list = body.find("measurements");
    if (!list || !list->is_array() || list->as_array().size() > kMaxMeasurements)
        rim_invalid("measurements must be an array of at most " + std::to_string(kMaxMeasurements) + " entries");
    for (const auto &entry : list->as_array()) {
        unsigned index = 0;
        GoldenMeasurement golden = golden_measurement(entry, index);
        if (!out.measurements.emplace(index, std::move(golden)).second)
            rim_invalid("measurement index " + std::to_string(index) + " appears twice");
    }
    out.signer_subject = certificate_subject(chain.certs.front().get());
    out.root_sha256 = chain.root_sha256;
    return out;
}

}  // namespace vep::nvidia
