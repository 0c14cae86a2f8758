// Unit tests of FieldAead: the HMAC-based HKDF equals OpenSSL's EVP_KDF "HKDF", and GCM
// sealing/opening round-trips and rejects tampering.
#include <gtest/gtest.h>

#include <openssl/core_names.h>
#include <openssl/kdf.h>
#include <openssl/rand.h>

#include <cstring>
#include <vector>

#include "vep/hex.hpp"
#include "vep_e2ee/field_aead.hpp"

namespace vep::e2ee {
namespace {

Secret32 reference_hkdf(const Secret32 &ikm, std::string info) {
    EVP_KDF *kdf = EVP_KDF_fetch(nullptr, "HKDF", nullptr);
    EVP_KDF_CTX *ctx = EVP_KDF_CTX_new(kdf);
    char digest[] = "SHA256";
    const OSSL_PARAM params[] = {
        OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, digest, 0),
        OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY, const_cast<uint8_t *>(ikm.data()), ikm.size()),
        OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO, info.data(), info.size()),
        OSSL_PARAM_construct_end(),
    };
    Secret32 out;
    EXPECT_EQ(EVP_KDF_derive(ctx, out.data(), out.size(), params), 1);
    EVP_KDF_CTX_free(ctx);
    EVP_KDF_free(kdf);
    return out;
}

TEST(FieldAead, HkdfMatchesOpenSslKdf) {
    for (const std::string &info : std::vector<std::string>{"ecdsa_encryption", "x", std::string(300, 'i')}) {
        const FieldAead aead(info);
        for (int i = 0; i < 20; ++i) {
            Secret32 ikm, ours;
            ASSERT_EQ(RAND_bytes(ikm.data(), static_cast<int>(ikm.size())), 1);
            aead.derive_key(ikm, ours);
            const Secret32 theirs = reference_hkdf(ikm, info);
            EXPECT_EQ(0, std::memcmp(ours.data(), theirs.data(), ours.size()));
        }
    }
}

TEST(FieldAead, SealOpenRoundTripAndTamper) {
    const FieldAead aead("ecdsa_encryption");
    Secret32 key;
    key.data()[0] = 7;
    Nonce nonce{};
    for (size_t size : {0u, 1u, 4095u, 4096u, 4097u, 10000u}) {
        const std::string plain(size, 'p');
        std::string sealed;
        aead.seal_append_hex(key, nonce, plain, sealed);
        ASSERT_EQ(sealed.size(), 2 * (size + kTagSize));
        std::vector<uint8_t> bytes(sealed.size() / 2);
        ASSERT_TRUE(hex::decode_into(sealed, bytes.data()));
        Tag tag;
        std::copy(bytes.end() - kTagSize, bytes.end(), tag.begin());
        std::vector<uint8_t> data(bytes.begin(), bytes.end() - kTagSize);
        std::vector<uint8_t> copy = data;
        ASSERT_TRUE(aead.open_in_place(key, nonce, data.data(), data.size(), tag));
        EXPECT_EQ(std::string(data.begin(), data.end()), plain);
        tag[3] ^= 1;
        EXPECT_FALSE(aead.open_in_place(key, nonce, copy.data(), copy.size(), tag));
    }
}

}  // namespace
}  // namespace vep::e2ee
