// Fixed-size secret storage that is wiped when it goes out of scope.
//
// Owns: the bytes of a private scalar, an ECDH x-coordinate or a derived AES key. Used by the
// codec and both backends for every piece of key material, so zeroisation cannot be forgotten.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

#include <openssl/crypto.h>

namespace vep::e2ee {

template <size_t N>
class SecretBytes {
  public:
    SecretBytes() { bytes_.fill(0); }
    SecretBytes(const SecretBytes &other) : bytes_(other.bytes_) {}
    SecretBytes &operator=(const SecretBytes &other) {
        bytes_ = other.bytes_;
        return *this;
    }
    ~SecretBytes() { wipe(); }

    uint8_t *data() { return bytes_.data(); }
    const uint8_t *data() const { return bytes_.data(); }
    static constexpr size_t size() { return N; }
    void wipe() { OPENSSL_cleanse(bytes_.data(), N); }

  private:
    std::array<uint8_t, N> bytes_;
};

using Secret32 = SecretBytes<32>;

}  // namespace vep::e2ee
