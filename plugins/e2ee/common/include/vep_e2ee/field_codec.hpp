// The Venice E2EE field codec on top of a pluggable secp256k1 backend.
//
// Owns the whole per-field flow shared by the cipher plugins: input checks, packing, hex,
// HKDF-SHA256 + AES-256-GCM (FieldAead), UTF-8 checking, the ephemeral-key cache and the
// zeroisation of every intermediate secret. A backend (plugins/e2ee/secp256k1, .../openssl)
// derives from it and supplies only the curve operations below. The host reaches it through
// the cipher vtable (vep::detail::CipherAdapter). All public methods may be called concurrently.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "vep/sdk.hpp"
#include "vep_e2ee/codec_config.hpp"
#include "vep_e2ee/ec_key_pair.hpp"
#include "vep_e2ee/failure_codes.hpp"
#include "vep_e2ee/field_aead.hpp"
#include "vep_e2ee/packed_payload.hpp"
#include "vep_e2ee/secret_bytes.hpp"

namespace vep::e2ee {

class FieldCodec : public Cipher {
  public:
    explicit FieldCodec(const json::Value &config);

    std::string public_hex(const KeyPair &keypair) override;
    std::string normalize_public_key(std::string_view key) override;
    void encrypt(std::string_view peer_public_hex, std::string_view plaintext, const KeyPair *ephemeral,
                 const uint8_t *nonce, std::string &out) override;
    void decrypt(const KeyPair &keypair, std::string_view payload_hex, std::string &out) override;

    const CodecConfig &config() const { return config_; }

  protected:
    // Writes the uncompressed form of a 33- or 65-byte SEC1 point; false when it is not a point
    // of secp256k1.
    virtual bool decode_point(const uint8_t *sec1, size_t len, Point &uncompressed) const = 0;
    // shared_x = x-coordinate of (own private scalar) * peer. Returns false when `peer` (an
    // 0x04-prefixed encoding) is not on the curve; throws Failure on internal errors.
    virtual bool shared_x(const EcKeyPair &own, const Point &peer, Secret32 &shared_x) const = 0;
    // A fresh random key pair of this backend's concrete type.
    virtual std::unique_ptr<EcKeyPair> random_keypair() const = 0;

    // Checks that a handle was made by this backend (throws e2ee_invalid_private_key if not).
    template <typename Concrete>
    static const Concrete &expect(const KeyPair &keypair) {
        const auto *concrete = dynamic_cast<const Concrete *>(&keypair);
        if (!concrete) throw Failure(codes::kInvalidPrivateKey, "key handle does not belong to this cipher backend");
        return *concrete;
    }

  private:
    Point peer_point(std::string_view peer_text) const;
    void derive_for_peer(const EcKeyPair &own, const Point &peer, Secret32 &key) const;

    const CodecConfig config_;
    const FieldAead aead_;
};

}  // namespace vep::e2ee
