#include "secp256k1_cipher.hpp"

#include <cstring>

#include <openssl/rand.h>
#include <secp256k1.h>
#include <secp256k1_ecdh.h>

#include "vep_e2ee/failure_codes.hpp"

namespace vep::e2ee {

namespace {

// A key pair whose private scalar lives in wiped storage.
class Secp256k1KeyPair final : public EcKeyPair {
  public:
    Secp256k1KeyPair(const Point &public_point, const Secret32 &scalar) : EcKeyPair(public_point), scalar_(scalar) {}
    const Secret32 &scalar() const { return scalar_; }

  private:
    Secret32 scalar_;
};

// secp256k1_ecdh hash callback: the raw x-coordinate is the shared secret (no hashing).
int copy_x_coordinate(unsigned char *output, const unsigned char *x32, const unsigned char *, void *) {
    std::memcpy(output, x32, 32);
    return 1;
}

void random_bytes(uint8_t *out, size_t len) {
    if (RAND_bytes(out, static_cast<int>(len)) != 1) throw Failure(codes::kCryptoFailure, "random generator failed");
}

}  // namespace

Secp256k1Cipher::Secp256k1Cipher(const json::Value &config) : FieldCodec(config) {
    ctx_ = secp256k1_context_create(SECP256K1_CONTEXT_NONE);
    if (!ctx_) throw Failure(codes::kCryptoFailure, "cannot create a secp256k1 context");
    Secret32 seed;
    try {
        random_bytes(seed.data(), seed.size());
    } catch (...) {
        secp256k1_context_destroy(ctx_);
        throw;
    }
    if (secp256k1_context_randomize(ctx_, seed.data()) != 1) {
        secp256k1_context_destroy(ctx_);
        throw Failure(codes::kCryptoFailure, "cannot randomise the secp256k1 context");
    }
}

Secp256k1Cipher::~Secp256k1Cipher() { secp256k1_context_destroy(ctx_); }

std::unique_ptr<EcKeyPair> Secp256k1Cipher::keypair_from_scalar(const Secret32 &scalar) const {
    secp256k1_pubkey pub;
    if (secp256k1_ec_pubkey_create(ctx_, &pub, scalar.data()) != 1)
        throw Failure(codes::kInvalidPrivateKey, "private key is not a valid secp256k1 scalar");
    Point point;
    size_t len = point.size();
    secp256k1_ec_pubkey_serialize(ctx_, point.data(), &len, &pub, SECP256K1_EC_UNCOMPRESSED);
    return std::make_unique<Secp256k1KeyPair>(point, scalar);
}

std::unique_ptr<EcKeyPair> Secp256k1Cipher::random_keypair() const {
    Secret32 scalar;
    // A random 256-bit value is a valid scalar with overwhelming probability; the loop is bounded.
    for (int attempt = 0; attempt < 64; ++attempt) {
        random_bytes(scalar.data(), scalar.size());
        if (secp256k1_ec_seckey_verify(ctx_, scalar.data()) == 1) return keypair_from_scalar(scalar);
    }
    throw Failure(codes::kCryptoFailure, "could not draw a valid secp256k1 scalar");
}

std::unique_ptr<Cipher::KeyPair> Secp256k1Cipher::generate_keypair() { return random_keypair(); }

std::unique_ptr<Cipher::KeyPair> Secp256k1Cipher::import_keypair(std::string_view private_key) {
    if (private_key.size() != Secret32::size())
        throw Failure(codes::kInvalidPrivateKey, "private key must be 32 bytes, got " + std::to_string(private_key.size()));
    Secret32 scalar;
    std::memcpy(scalar.data(), private_key.data(), scalar.size());
    if (secp256k1_ec_seckey_verify(ctx_, scalar.data()) != 1)
        throw Failure(codes::kInvalidPrivateKey, "private key is zero or not below the curve order");
    return keypair_from_scalar(scalar);
}

bool Secp256k1Cipher::decode_point(const uint8_t *sec1, size_t len, Point &uncompressed) const {
    secp256k1_pubkey pub;
    if (secp256k1_ec_pubkey_parse(ctx_, &pub, sec1, len) != 1) return false;
    size_t out_len = uncompressed.size();
    secp256k1_ec_pubkey_serialize(ctx_, uncompressed.data(), &out_len, &pub, SECP256K1_EC_UNCOMPRESSED);
    return true;
}

bool Secp256k1Cipher::shared_x(const EcKeyPair &own, const Point &peer, Secret32 &shared_x) const {
    const auto &mine = expect<Secp256k1KeyPair>(own);
    secp256k1_pubkey pub;
    if (secp256k1_ec_pubkey_parse(ctx_, &pub, peer.data(), peer.size()) != 1) return false;
    if (secp256k1_ecdh(ctx_, shared_x.data(), &pub, mine.scalar().data(), &copy_x_coordinate, nullptr) != 1)
        throw Failure(codes::kCryptoFailure, "secp256k1 ECDH failed");
    return true;
}

}  // namespace vep::e2ee
