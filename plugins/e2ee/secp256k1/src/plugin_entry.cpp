// Registers Secp256k1Cipher as the cipher plugin "secp256k1" (e2ee-secp256k1.so).
#include "vep/plugin.hpp"

#include "secp256k1_cipher.hpp"

VEP_PLUGIN(vep::e2ee::Secp256k1Cipher, "secp256k1", "1.0.0",
           "Venice E2EE field codec: libsecp256k1 ECDH, HKDF-SHA256, AES-256-GCM (default backend)")
