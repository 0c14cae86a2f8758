// nvidia_payload decoding (see nvidia_payload.hpp).
#include "nvidia_payload.hpp"

#include "vep/attestation/base64.hpp"
#include "vep/hex.hpp"
#include "vep/sdk.hpp"
#include "vep/text.hpp"

namespace vep::nvidia {
namespace {

[[noreturn]] void invalid(const std::string &why) {
    throw Failure("attestation_invalid_nvidia_evidence", "invalid nvidia_payload: " + why);
}

const std::string &string_member(const json::Value &obj, std::string_view key, const std::string &where) {
    const json::Value *v = obj.find(key);
    if (!v || !v->is_string()) invalid(where + std::string(key) + " must be a string");
    return v->as_string();
}

std::string optional_string(const json::Value &obj, std::string_view key) {
    const json::Value *v = obj.find(key);
    return v && v->is_string() ? v->as_string() : std::string();
}

std::vector<uint8_t> decode_evidence(const std::string &text, const std::string &where) {
    const std::string_view t = trim_ascii(text);
    if (t.size() > 2 * kMaxEvidenceBytes) invalid(where + "evidence is too large");
    auto bytes = hex::is_hex(t) ? hex::decode(t) : attestation::base64_decode(t);
    if (!bytes) invalid(where + "evidence is neither Base64 nor hex");
    if (bytes->size() > kMaxEvidenceBytes) invalid(where + "evidence is too large");
    return std::move(*bytes);
}

std::string decode_certificate_chain(const std::string &text, const std::string &where) {
    const std::string_view t = trim_ascii(text);
    if (t.size() > 2 * kMaxCertificateChainBytes) invalid(where + "certificate chain is too large");
    if (t.substr(0, 10) == "-----BEGIN") return std::string(t);
    const auto bytes = attestation::base64_decode(t);
    if (!bytes) invalid(where + "certificate is not Base64");
    return std::string(bytes->begin(), bytes->end());
}

}  // namespace

NvidiaPayload parse_nvidia_payload(const json::Value &payload) {
    json::Value parsed;
    const json::Value *obj = &payload;
    if (payload.is_string()) {
        try {
            parsed = json::parse(payload.as_string(), 16);
        } catch (const json::ParseError &e) {
            invalid(std::string("string is not JSON: ") + e.what());
        }
        obj = &parsed;
    }
    if (!obj->is_object()) invalid("must be a JSON object (or a string holding one)");
    NvidiaPayload out;
    out.nonce = string_member(*obj, "nonce", "");
    out.arch = optional_string(*obj, "arch");
    const json::Value *list = obj->find("evidence_list");
    if (!list || !list->is_array()) invalid("evidence_list must be an array");
    if (list->as_array().size() > kMaxGpus) invalid("evidence_list has more than " + std::to_string(kMaxGpus) + " entries");
    size_t index = 0;
    for (const auto &entry : list->as_array()) {
        const std::string where = "evidence_list[" + std::to_string(index++) + "].";
        if (!entry.is_object()) invalid(where + " must be an object");
        GpuEvidence gpu;
        gpu.arch = optional_string(entry, "arch");
        gpu.certificate_chain_pem = decode_certificate_chain(string_member(entry, "certificate", where), where);
        gpu.evidence = decode_evidence(string_member(entry, "evidence", where), where);
        out.gpus.push_back(std::move(gpu));
    }
    return out;
}

}  // namespace vep::nvidia
