// The portable cipher backend: secp256k1 with OpenSSL 3 only (EC_GROUP for point decoding and
// scalar checks, EVP_PKEY_derive for ECDH).
//
// Owns the secp256k1 EC_GROUP (read-only after construction, shared by concurrent calls).
// Packing, checks, HKDF + AES-GCM and zeroisation come from FieldCodec. Built into
// e2ee-openssl.so; also the cross-check backend in the interop tests.
#pragma once

#include <memory>
#include <string_view>

#include "vep_e2ee/field_codec.hpp"

typedef struct ec_group_st EC_GROUP;

namespace vep::e2ee {

class OpensslCipher final : public FieldCodec {
  public:
    explicit OpensslCipher(const json::Value &config);
    ~OpensslCipher() override;
    OpensslCipher(const OpensslCipher &) = delete;
    OpensslCipher &operator=(const OpensslCipher &) = delete;

    std::unique_ptr<KeyPair> generate_keypair() override;
    std::unique_ptr<KeyPair> import_keypair(std::string_view private_key) override;

  protected:
    bool decode_point(const uint8_t *sec1, size_t len, Point &uncompressed) const override;
    bool shared_x(const EcKeyPair &own, const Point &peer, Secret32 &shared_x) const override;
    std::unique_ptr<EcKeyPair> random_keypair() const override;

  private:
    EC_GROUP *group_ = nullptr;
};

}  // namespace vep::e2ee
