// The default cipher backend: secp256k1 key generation and ECDH with libsecp256k1.
//
// Owns one randomised secp256k1 context per instance (created once; libsecp256k1 allows
// concurrent use of a context in all the calls made here). Everything else — packing, checks,
// HKDF + AES-GCM, zeroisation — comes from FieldCodec. Built into e2ee-secp256k1.so; called by
// the host through the cipher vtable.
#pragma once

#include <memory>
#include <string_view>

#include "vep_e2ee/field_codec.hpp"

typedef struct secp256k1_context_struct secp256k1_context;

namespace vep::e2ee {

class Secp256k1Cipher final : public FieldCodec {
  public:
    explicit Secp256k1Cipher(const json::Value &config);
    ~Secp256k1Cipher() override;
    Secp256k1Cipher(const Secp256k1Cipher &) = delete;
    Secp256k1Cipher &operator=(const Secp256k1Cipher &) = delete;

    std::unique_ptr<KeyPair> generate_keypair() override;
    std::unique_ptr<KeyPair> import_keypair(std::string_view private_key) override;

  protected:
    bool decode_point(const uint8_t *sec1, size_t len, Point &uncompressed) const override;
    bool shared_x(const EcKeyPair &own, const Point &peer, Secret32 &shared_x) const override;
    std::unique_ptr<EcKeyPair> random_keypair() const override;

  private:
    std::unique_ptr<EcKeyPair> keypair_from_scalar(const Secret32 &scalar) const;

    secp256k1_context *ctx_ = nullptr;
};

}  // namespace vep::e2ee
