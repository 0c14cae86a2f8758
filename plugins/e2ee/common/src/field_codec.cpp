#include "vep_e2ee/field_codec.hpp"

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include <algorithm>

#include "vep/hex.hpp"
#include "vep_e2ee/failure_codes.hpp"
#include "vep_e2ee/public_key_text.hpp"

namespace vep::e2ee {

FieldCodec::FieldCodec(const json::Value &config)
    : config_(parse_codec_config(config)), aead_(config_.hkdf_info) {}

std::string FieldCodec::public_hex(const KeyPair &keypair) {
    const Point &point = expect<EcKeyPair>(keypair).public_point();
    std::string out;
    hex::append(out, point.data(), point.size());
    return out;
}

Point FieldCodec::peer_point(std::string_view peer_text) const {
    const Sec1Key sec1 = parse_public_key_text(peer_text);
    Point point;
    if (!decode_point(sec1.bytes.data(), sec1.size, point))
        throw Failure(codes::kInvalidPublicKey, "invalid public key: not a point on secp256k1");
    return point;
}

std::string FieldCodec::normalize_public_key(std::string_view key) {
    const Point point = peer_point(key);
    std::string out;
    hex::append(out, point.data(), point.size());
    return out;
}

void FieldCodec::derive_for_peer(const EcKeyPair &own, const Point &peer, Secret32 &key) const {
    Secret32 x;
    if (!shared_x(own, peer, x)) throw Failure(codes::kInvalidPublicKey, "invalid public key: not a point on secp256k1");
    aead_.derive_key(x, key);
}

void FieldCodec::encrypt(std::string_view peer_public_hex, std::string_view plaintext, const KeyPair *ephemeral,
                         const uint8_t *nonce, std::string &out) {
    const Point peer = peer_point(peer_public_hex);
    Secret32 key;
    std::unique_ptr<EcKeyPair> fresh;
    const EcKeyPair *sender = nullptr;
    if (ephemeral) {
        sender = &expect<EcKeyPair>(*ephemeral);
        if (!sender->cached_key(this, peer, key)) {
            derive_for_peer(*sender, peer, key);
            sender->remember_key(this, peer, key);
        }
    } else {
        fresh = random_keypair();
        sender = fresh.get();
        derive_for_peer(*sender, peer, key);
    }
    Nonce iv;
    if (nonce) {
        std::copy(nonce, nonce + kNonceSize, iv.begin());
    } else if (RAND_bytes(iv.data(), static_cast<int>(iv.size())) != 1) {
        throw Failure(codes::kCryptoFailure, "random nonce generation failed");
    }
    out.reserve(out.size() + 2 * (kMinPayloadBytes + plaintext.size()));
    hex::append(out, sender->public_point().data(), kPointSize);
    hex::append(out, iv.data(), iv.size());
    aead_.seal_append_hex(key, iv, plaintext, out);
}

void FieldCodec::decrypt(const KeyPair &keypair, std::string_view payload_hex, std::string &out) {
    const EcKeyPair &own = expect<EcKeyPair>(keypair);
    const PackedPayload payload = parse_packed_payload(payload_hex);
    Secret32 x;
    if (!shared_x(own, payload.ephemeral_public, x))
        throw Failure(codes::kPointNotOnCurve, "ephemeral public key is not a point on secp256k1");
    Secret32 key;
    aead_.derive_key(x, key);
    x.wipe();

    const size_t start = out.size();
    const size_t len = payload.ciphertext_hex.size() / 2;
    out.resize(start + len);
    auto *data = reinterpret_cast<uint8_t *>(out.data() + start);
    hex::decode_into(payload.ciphertext_hex, data);
    if (!aead_.open_in_place(key, payload.nonce, data, len, payload.tag)) {
        OPENSSL_cleanse(data, len);
        out.resize(start);
        throw Failure(codes::kTagMismatch, "authentication tag mismatch (wrong key or tampered payload)");
    }
    if (!json::is_valid_utf8(std::string_view(out).substr(start))) {
        OPENSSL_cleanse(data, len);
        out.resize(start);
        throw Failure(codes::kInvalidUtf8, "decrypted field is not valid UTF-8");
    }
}

}  // namespace vep::e2ee
