// Ed25519 receipt signatures (see ed25519_receipt.hpp).
#include "vep/attestation/ed25519_receipt.hpp"

#include <memory>

#include <openssl/evp.h>
#include <openssl/rand.h>

#include "vep/attestation/rfc8785_canonical_json.hpp"
#include "vep/hex.hpp"
#include "vep/sdk.hpp"
#include "vep/text.hpp"

namespace vep::attestation {
namespace {

using PKey = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;
using MdCtx = std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)>;

[[noreturn]] void signing_failed(const std::string &why) { throw Failure("receipt_signing_failed", "Ed25519: " + why); }

PKey private_key_of(const std::array<uint8_t, 32> &raw) {
    PKey key(EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nullptr, raw.data(), raw.size()), EVP_PKEY_free);
    if (!key) signing_failed("invalid private key");
    return key;
}

}  // namespace

std::string receipt_signing_bytes(const json::Value &receipt) {
    if (!receipt.is_object()) throw Failure("receipt_malformed", "receipt is not a JSON object");
    json::Value unsigned_receipt = receipt;
    json::Value *signature = unsigned_receipt.find("signature");
    if (!signature || !signature->is_object()) throw Failure("receipt_malformed", "receipt.signature is not an object");
    json::Value stripped = json::Value::object();
    for (const auto &m : signature->as_object())
        if (m.first != "value") stripped.set(m.first, m.second);
    *signature = std::move(stripped);
    return canonical_json(unsigned_receipt);
}

bool ed25519_verify(std::string_view public_key_hex, std::string_view message, std::string_view signature_hex) {
    const auto key_bytes = hex::decode(hex::strip_0x(trim_ascii(public_key_hex)));
    const auto sig_bytes = hex::decode(hex::strip_0x(trim_ascii(signature_hex)));
    if (!key_bytes || key_bytes->size() != 32 || !sig_bytes || sig_bytes->size() != 64) return false;
    PKey key(EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr, key_bytes->data(), key_bytes->size()),
             EVP_PKEY_free);
    if (!key) return false;
    MdCtx ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
    if (!ctx || EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, key.get()) != 1) return false;
    return EVP_DigestVerify(ctx.get(), sig_bytes->data(), sig_bytes->size(),
                            reinterpret_cast<const unsigned char *>(message.data()), message.size()) == 1;
}

std::array<uint8_t, 32> ed25519_generate_private_key() {
    std::array<uint8_t, 32> raw{};
    if (RAND_bytes(raw.data(), static_cast<int>(raw.size())) != 1) signing_failed("RAND_bytes failed");
    return raw;
}

std::string ed25519_public_key_hex(const std::array<uint8_t, 32> &private_key) {
    const PKey key = private_key_of(private_key);
    unsigned char out[32];
    size_t len = sizeof out;
    if (EVP_PKEY_get_raw_public_key(key.get(), out, &len) != 1 || len != sizeof out) signing_failed("no public key");
    return hex::encode(out, len);
}

std::string ed25519_sign(const std::array<uint8_t, 32> &private_key, std::string_view message) {
    const PKey key = private_key_of(private_key);
    MdCtx ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
    unsigned char sig[64];
    size_t len = sizeof sig;
    if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr, key.get()) != 1 ||
        EVP_DigestSign(ctx.get(), sig, &len, reinterpret_cast<const unsigned char *>(message.data()), message.size()) !=
            1 ||
        len != sizeof sig)
        signing_failed("signing failed");
    return hex::encode(sig, len);
}

}  // namespace vep::attestation
