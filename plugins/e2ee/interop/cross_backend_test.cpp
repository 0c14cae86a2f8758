// Cross-backend interop of the two cipher plugins, loaded from their built .so files with
// dlopen and driven through the plugin ABI (FakeHost + CipherClient), as the host does.
#include <gtest/gtest.h>

#include <dlfcn.h>

#include <array>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "vep/client.hpp"
#include "vep/testing/fake_host.hpp"

namespace {

using vep::client::CipherClient;

// One plugin library opened with dlopen; the shared_ptr closes it when the last client is gone.
std::shared_ptr<CipherClient> load_cipher(const vep::testing::FakeHost &host, const std::string &file) {
    const std::string path = std::string(VEP_PLUGIN_DIR) + "/" + file;
    void *handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!handle) throw std::runtime_error("dlopen " + path + ": " + dlerror());
    std::shared_ptr<void> owner(handle, [](void *h) { dlclose(h); });
    auto entry = reinterpret_cast<vep_plugin_entry_fn>(dlsym(handle, VEP_ENTRY_SYMBOL));
    if (!entry) throw std::runtime_error("no entry symbol in " + path);
    return CipherClient::create(host.load(entry), "{}", owner);
}

// Random valid UTF-8 mixing 1-, 2-, 3- and 4-byte characters.
std::string random_utf8(std::mt19937_64 &rng, size_t chars) {
    static const std::vector<std::string> pool = {"a", "Z", " ", "\n", "{", "\"", "é", "ß", "Ж", "✓", "日", "本", "🎉", "𝄞"};
    std::uniform_int_distribution<size_t> pick(0, pool.size() - 1);
    std::string out;
    for (size_t i = 0; i < chars; ++i) out += pool[pick(rng)];
    return out;
}

class CrossBackend : public ::testing::Test {
  protected:
    void SetUp() override {
        secp_ = load_cipher(host_, "e2ee-secp256k1.so");
        ossl_ = load_cipher(host_, "e2ee-openssl.so");
    }

    // Encrypts `count` random messages with `from` to a key of `to` and decrypts them there.
    void round_trips(const CipherClient &from, const CipherClient &to, int count, uint64_t seed) {
        std::mt19937_64 rng(seed);
        auto recipient = to.generate();
        auto ephemeral = from.generate();
        std::uniform_int_distribution<size_t> length(0, 64);
        for (int i = 0; i < count; ++i) {
            std::string msg;
            switch (i % 50) {
            case 0: break;
            case 1: msg = "x"; break;
            case 2: msg = std::string(64 * 1024, static_cast<char>('a' + i % 26)); break;
            default: msg = random_utf8(rng, length(rng));
            }
            std::string payload, plain;
            from.encrypt(recipient->public_hex(), msg, payload, i % 3 == 0 ? ephemeral.get() : nullptr);
            to.decrypt(*recipient, payload, plain);
            ASSERT_EQ(plain, msg) << "message " << i;
        }
    }

    vep::testing::FakeHost host_;
    std::shared_ptr<CipherClient> secp_, ossl_;
};

TEST_F(CrossBackend, SameScalarSamePublicKey) {
    std::mt19937_64 rng(7);
    for (int i = 0; i < 50; ++i) {
        std::array<uint8_t, 32> scalar;
        for (auto &b : scalar) b = static_cast<uint8_t>(rng());
        scalar[0] &= 0x7f;  // stay below the group order
        EXPECT_EQ(secp_->import(scalar.data(), scalar.size())->public_hex(),
                  ossl_->import(scalar.data(), scalar.size())->public_hex());
    }
}

TEST_F(CrossBackend, Secp256k1ToOpenssl) { round_trips(*secp_, *ossl_, 1500, 1); }

TEST_F(CrossBackend, OpensslToSecp256k1) { round_trips(*ossl_, *secp_, 1500, 2); }

TEST_F(CrossBackend, SameCodesForCorruptedPayloads) {
    std::array<uint8_t, 32> scalar;
    scalar.fill(0x11);
    auto secp_key = secp_->import(scalar.data(), scalar.size());
    auto ossl_key = ossl_->import(scalar.data(), scalar.size());
    std::string good;
    secp_->encrypt(secp_key->public_hex(), "agreement on every failure", good);
    std::mt19937_64 rng(3);
    const std::string alphabet = "0123456789abcdefABCDEFg ";
    auto outcome = [](const CipherClient &c, const CipherClient::Key &k, const std::string &p) {
        std::string out;
        try {
            c.decrypt(k, p, out);
        } catch (const vep::Failure &f) {
            return f.code();
        }
        return "ok:" + out;
    };
    for (int i = 0; i < 400; ++i) {
        std::string mutated = good;
        const size_t edits = 1 + rng() % 3;
        for (size_t e = 0; e < edits; ++e) {
            switch (rng() % 3) {
            case 0: mutated[rng() % mutated.size()] = alphabet[rng() % alphabet.size()]; break;
            case 1: mutated.resize(rng() % (mutated.size() + 1)); break;
            default: mutated.insert(rng() % (mutated.size() + 1), 1, alphabet[rng() % alphabet.size()]);
            }
            if (mutated.empty()) break;
        }
        EXPECT_EQ(outcome(*secp_, *secp_key, mutated), outcome(*ossl_, *ossl_key, mutated)) << mutated;
    }
}

}  // namespace
