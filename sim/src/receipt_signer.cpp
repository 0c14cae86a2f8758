#include "receipt_signer.hpp"

#include <ctime>

#include <openssl/sha.h>

#include "vep/attestation/ed25519_receipt.hpp"
#include "vep/attestation/eip191_signature.hpp"
#include "vep/attestation/rfc8785_canonical_json.hpp"
#include "vep/hex.hpp"

namespace vep::sim {
namespace {

// Flips one hex digit of a signature (the bad_signature faults).
std::string corrupted(std::string signature_hex) {
    signature_hex[20] = signature_hex[20] == '0' ? '1' : '0';
    return signature_hex;
}

json::Value event(int seq, const char *type, const std::string &sha256_hex) {
    json::Value e = json::Value::object();
    e.set("seq", seq);
    e.set("type", type);
    e.set("body_hash", "sha256:" + sha256_hex);
    return e;
}

}  // namespace

ReceiptSigner::ReceiptSigner()
    : secret_(vep::attestation::ed25519_generate_private_key()),
      public_hex_(vep::attestation::ed25519_public_key_hex(secret_)),
      key_id_("venice-sim-receipt-" + public_hex_.substr(0, 16)) {}

json::Value ReceiptSigner::workload_keyset(const std::string &model, const ModelKey &key) const {
    json::Value receipt_key = json::Value::object();
    receipt_key.set("key_id", key_id_);
    receipt_key.set("algo", "ed25519");
    receipt_key.set("public_key", public_hex_);
    json::Value e2ee_key = json::Value::object();
    e2ee_key.set("key_id", "e2ee-" + key.address.substr(2, 16));
    e2ee_key.set("algo", "secp256k1");
    e2ee_key.set("public_key", key.public_hex);
    json::Value epoch = json::Value::object();
    epoch.set("version", 1);
    json::Value keyset = json::Value::object();
    keyset.set("workload_identity", "venice-sim/" + model);
    keyset.set("keyset_epoch", std::move(epoch));
    keyset.set("receipt_signing_keys", json::Array{std::move(receipt_key)});
    keyset.set("e2ee_public_keys", json::Array{std::move(e2ee_key)});
    keyset.set("tls_public_keys", json::Value::array());
    return keyset;
}

std::string ReceiptSigner::keyset_digest(const json::Value &keyset) {
    const std::string canonical = vep::attestation::canonical_json(keyset);
    unsigned char digest[SHA256_DIGEST_LENGTH];
    SHA256(reinterpret_cast<const unsigned char *>(canonical.data()), canonical.size(), digest);
    return "sha256:" + vep::hex::encode(digest, sizeof digest);
}

json::Value ReceiptSigner::signature_document(const std::string &completion_id, const SignedExchange &exchange,
                                              const ModelKey &key, const ModelKey &decoy, ReceiptFault fault) const {
    const std::string text = exchange.request_sha256 + ":" + exchange.response_sha256;
    const ModelKey &text_signer = fault == ReceiptFault::WrongSigner ? decoy : key;
    std::string text_signature = vep::attestation::sign_eip191(text, text_signer.secret);
    if (fault == ReceiptFault::BadSignature) text_signature = corrupted(text_signature);

    json::Value signature = json::Value::object();
    signature.set("algo", "ed25519");
    signature.set("key_id", key_id_);
    json::Value receipt = json::Value::object();
    receipt.set("api_version", "aci/1");
    receipt.set("receipt_id", "rcpt-" + completion_id);
    receipt.set("chat_id", fault == ReceiptFault::OtherRequest ? completion_id + "-other" : completion_id);
    receipt.set("model", exchange.model);
    receipt.set("workload_id", "venice-sim/" + exchange.model);
    receipt.set("workload_keyset_digest", keyset_digest(workload_keyset(exchange.model, key)));
    receipt.set("endpoint", "/v1/chat/completions");
    receipt.set("method", "POST");
    receipt.set("served_at", static_cast<int64_t>(std::time(nullptr)));
    receipt.set("event_log", json::Array{event(1, "request.received", exchange.request_sha256),
                                         event(2, "response.returned", exchange.response_sha256)});
    receipt.set("signature", std::move(signature));
    std::string receipt_value =
        vep::attestation::ed25519_sign(secret_, vep::attestation::receipt_signing_bytes(receipt));
    if (fault == ReceiptFault::BadReceiptSignature) receipt_value = corrupted(receipt_value);
    receipt.find("signature")->set("value", receipt_value);

    json::Value doc = json::Value::object();
    doc.set("text", text);
    doc.set("signature", text_signature);
    doc.set("signing_address", key.address);
    doc.set("signing_algo", "ecdsa");
    doc.set("receipt", std::move(receipt));
    return doc;
}

}  // namespace vep::sim
