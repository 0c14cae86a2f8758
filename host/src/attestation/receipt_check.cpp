// See receipt_check.hpp.
#include "attestation/receipt_check.hpp"

#include <utility>

#include "vep/attestation/ed25519_receipt.hpp"
#include "vep/attestation/eip191_signature.hpp"
#include "vep/hex.hpp"
#include "vep/sdk.hpp"
#include "vep/text.hpp"

namespace vep::host {
namespace {

// Collects the checks of one verdict.
class Checks {
  public:
    explicit Checks(ReceiptVerdict &verdict) : verdict_(verdict) {}
    void pass(const char *name, std::string detail) { add(name, "pass", std::move(detail)); }
    void unverifiable(const char *name, std::string detail) { add(name, "unverifiable", std::move(detail)); }
    void fail(const char *name, std::string detail) {
        add(name, "fail", std::move(detail));
        if (!verdict_.failed.empty()) verdict_.failed += ", ";
        verdict_.failed += name;
    }

  private:
    void add(const char *name, const char *status, std::string detail) {
        json::Value check = json::Value::object();
        check.set("name", name);
        check.set("status", status);
        check.set("detail", std::move(detail));
        verdict_.checks.push_back(std::move(check));
    }
    ReceiptVerdict &verdict_;
};

const std::string *string_at(const json::Value *object, const char *key) {
    if (!object || !object->is_object()) return nullptr;
    const json::Value *v = object->find(key);
    return v && v->is_string() ? &v->as_string() : nullptr;
}

std::string lower(std::string_view text) { return to_lower_ascii(hex::strip_0x(trim_ascii(text))); }

bool is_sha256_hex(std::string_view text) { return text.size() == 64 && hex::is_hex(text); }

// A hash Venice signed against the one the proxy computed: equal passes, different is
// unverifiable (re-serialised between proxy and enclave), absent or malformed fails.
void compare_hash(Checks &checks, const char *name, const std::string *signed_hash, const std::string &computed,
                  std::string_view prefix) {
    if (!signed_hash) {
        checks.fail(name, "the signed record carries no hash");
        return;
    }
    std::string_view text = trim_ascii(*signed_hash);
    if (text.rfind(prefix, 0) == 0) text.remove_prefix(prefix.size());
    if (!is_sha256_hex(text)) {
        checks.fail(name, "the signed hash is not 64 hex characters");
        return;
    }
    if (to_lower_ascii(text) == computed) checks.pass(name, "equals the SHA-256 of the bytes the proxy exchanged");
    else
        checks.unverifiable(name, "differs from the SHA-256 of the bytes the proxy exchanged (Venice re-serialises "
                                  "between the proxy and the enclave)");
}

void check_text_signature(Checks &checks, const json::Value &body, const ReceiptEvidence &evidence,
                          const std::string &attested_address) {
    const std::string *text = string_at(&body, "text");
    const json::Value *sig = body.find("signature");
    const std::string *sig_hex = sig && sig->is_string() ? &sig->as_string() : string_at(sig, "value");
    if (!text || !sig_hex) {
        checks.fail("eip191_signature", "the record has no text and signature");
    } else if (attested_address.empty()) {
        checks.fail("eip191_signature", "the attestation established no signing address");
    } else {
        try {
            const std::string signer = vep::attestation::recover_eip191_signer(*text, *sig_hex);
            if (signer == attested_address) checks.pass("eip191_signature", "signed by the attested " + signer);
            else checks.fail("eip191_signature", "signed by " + signer + ", not the attested " + attested_address);
        } catch (const vep::Failure &f) {
            checks.fail("eip191_signature", f.what());
        }
    }
    if (const std::string *served = string_at(&body, "signing_address")) {
        if ("0x" + lower(*served) == attested_address) checks.pass("signing_address", "equals the attested address");
        else checks.fail("signing_address", "the record names " + *served + ", not the attested address");
    }
    const size_t colon = text ? text->find(':') : std::string::npos;
    if (colon == std::string::npos) {
        checks.unverifiable("request_hash", "the signed text is not \"<request hash>:<response hash>\"");
        checks.unverifiable("response_hash", "the signed text is not \"<request hash>:<response hash>\"");
        return;
    }
    const std::string request_hash = text->substr(0, colon);
    const std::string response_hash = text->substr(colon + 1);
    compare_hash(checks, "request_hash", &request_hash, evidence.request_sha256, "");
    compare_hash(checks, "response_hash", &response_hash, evidence.response_sha256, "");
}

// The receipt_signing_keys entry the receipt's signature names, or nullptr (after failing receipt_key).
const json::Value *receipt_key(Checks &checks, const json::Value &signature, const json::Value *keyset) {
    const std::string *key_id = string_at(&signature, "key_id");
    const std::string *algo = string_at(&signature, "algo");
    const json::Value *keys = keyset ? keyset->find("receipt_signing_keys") : nullptr;
    if (!keys || !keys->is_array() || keys->as_array().empty()) {
        checks.fail("receipt_key", "the attestation carried no workload keyset with receipt signing keys");
        return nullptr;
    }
    if (!key_id) {
        checks.fail("receipt_key", "receipt.signature has no key_id");
        return nullptr;
    }
    for (const auto &key : keys->as_array()) {
        const std::string *id = string_at(&key, "key_id");
        if (!id || *id != *key_id) continue;
        const std::string *key_algo = string_at(&key, "algo");
        if (!key_algo || *key_algo != "ed25519" || !algo || *algo != "ed25519") {
            checks.fail("receipt_key", "key " + *key_id + " is not an ed25519 key on both sides");
            return nullptr;
        }
        checks.pass("receipt_key", "key " + *key_id + " of the attested workload keyset");
        return &key;
    }
    checks.fail("receipt_key", "key " + *key_id + " is not in the attested receipt_signing_keys");
    return nullptr;
}

// The body_hash of the event of `type` in the receipt's event_log, or nullptr.
const std::string *event_hash(const json::Value &receipt, std::string_view type) {
    const json::Value *log = receipt.find("event_log");
    if (!log || !log->is_array()) return nullptr;
    for (const auto &event : log->as_array()) {
        const std::string *t = string_at(&event, "type");
        if (t && *t == type) return string_at(&event, "body_hash");
    }
    return nullptr;
}

void check_aci_receipt(Checks &checks, const json::Value &body, const ReceiptEvidence &evidence,
                       const json::Value &attested_report) {
    const json::Value *receipt = body.find("receipt");
    if (!receipt || !receipt->is_object()) {
        checks.fail("receipt_signature", "the record carries no ACI receipt");
        return;
    }
    const json::Value *keyset = attested_report.find("workload_keyset");
    const json::Value *signature = receipt->find("signature");
    if (!signature || !signature->is_object()) {
        checks.fail("receipt_signature", "receipt.signature is not an object");
        return;
    }
    if (const json::Value *key = receipt_key(checks, *signature, keyset)) {
        const std::string *public_key = string_at(key, "public_key");
        const std::string *value = string_at(signature, "value");
        try {
            if (public_key && value &&
                vep::attestation::ed25519_verify(*public_key, vep::attestation::receipt_signing_bytes(*receipt), *value))
                checks.pass("receipt_signature", "Ed25519 over the receipt's RFC 8785 form");
            else
                checks.fail("receipt_signature", "the Ed25519 signature does not verify");
        } catch (const vep::Failure &f) {
            checks.fail("receipt_signature", f.what());
        }
    }
    const std::string *named = string_at(receipt, "workload_keyset_digest");
    const std::string *attested = string_at(keyset, "digest");
    if (named && attested && lower(*named) == *attested) checks.pass("receipt_keyset_digest", *attested);
    else checks.fail("receipt_keyset_digest", "the receipt does not name the attested workload keyset");
    const std::string *chat_id = string_at(receipt, "chat_id");
    if (evidence.completion_id.empty()) checks.fail("receipt_chat_id", "the answer carried no completion id");
    else if (chat_id && *chat_id == evidence.completion_id) checks.pass("receipt_chat_id", "names this completion");
    else checks.fail("receipt_chat_id", "the receipt is for another completion");
    compare_hash(checks, "receipt_request_hash", event_hash(*receipt, "request.received"), evidence.request_sha256,
                 "sha256:");
    compare_hash(checks, "receipt_response_hash", event_hash(*receipt, "response.returned"), evidence.response_sha256,
                 "sha256:");
}

}  // namespace

ReceiptVerdict check_receipt(const std::string &signature_body, const ReceiptEvidence &evidence,
                             const json::Value &attested_report) {
    ReceiptVerdict verdict;
    Checks checks(verdict);
    json::Value body;
    try {
        body = json::parse(signature_body);
    } catch (const json::ParseError &) {
    }
    if (!body.is_object()) {
        checks.fail("signature_response", "the /tee/signature body is not a JSON object");
        return verdict;
    }
    checks.pass("signature_response", "JSON object");
    const std::string *address = string_at(&attested_report, "signing_address");
    check_text_signature(checks, body, evidence, address ? lower(*address).insert(0, "0x") : std::string());
    check_aci_receipt(checks, body, evidence, attested_report);
    verdict.verified = verdict.failed.empty();
    return verdict;
}

}  // namespace vep::host
