// Registers OpensslCipher as the cipher plugin "openssl" (e2ee-openssl.so).
#include "vep/plugin.hpp"

#include "openssl_cipher.hpp"

VEP_PLUGIN(vep::e2ee::OpensslCipher, "openssl", "1.0.0",
           "Venice E2EE field codec: OpenSSL-only secp256k1 ECDH, HKDF-SHA256, AES-256-GCM")
