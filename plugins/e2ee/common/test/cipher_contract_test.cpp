// Contract tests every e2ee cipher backend must pass, driven through the plugin ABI exactly as
// the host drives it (FakeHost -> vep_plugin_entry -> CipherClient). Compiled into each
// backend's test binary together with that backend's entry point; VEP_E2EE_BACKEND_NAME is the
// descriptor name the binary expects.
#include <gtest/gtest.h>

#include <array>
#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "vep/client.hpp"
#include "vep/testing/fake_host.hpp"

extern "C" const vep_plugin_descriptor *vep_plugin_entry(const vep_host_api *host, char *err, size_t err_len);

namespace {

using vep::client::CipherClient;

constexpr char kKnownAnswer[] =
    "04466d7fcae563e5cb09a0d1870bb580344804617879a14949cf22285f1bae3f276728176c3c6431f8eeda4538dc37c865e2784f3a9e77"
    "d044f33e407797e1278aa0a1a2a3a4a5a6a7a8a9aaab3b364a6560dc6246955e1379bac6c7a0f453c5b2d9be6eabb00cad9955278b4c"
    "401f6793813d7f98ba8f163a5c51b87686";
constexpr char kKnownPlaintext[] = "deterministic Venice E2EE fixture";
constexpr char kPublicOf07[] =
    "04989c0b76cb563971fdc9bef31ec06c3560f3249d6ee9e5d83c57625596e05f6f631f4d05b3ae518776ee08755a7703e64b2ebc3254"
    "7504de0b55a142d4ecdf80";
constexpr std::array<uint8_t, 12> kNonce = {0xa0, 0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7, 0xa8, 0xa9, 0xaa, 0xab};
// secp256k1 group order n.
constexpr char kOrderHex[] = "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141";

std::array<uint8_t, 32> filled(uint8_t byte) {
    std::array<uint8_t, 32> out;
    out.fill(byte);
    return out;
}

std::array<uint8_t, 32> from_hex32(const std::string &hex) {
    std::array<uint8_t, 32> out{};
    for (size_t i = 0; i < 32; ++i) out[i] = static_cast<uint8_t>(std::stoul(hex.substr(2 * i, 2), nullptr, 16));
    return out;
}

std::string compressed_of(const std::string &uncompressed_hex) {
    const int last = std::stoi(uncompressed_hex.substr(128, 2), nullptr, 16);
    return std::string(last % 2 ? "03" : "02") + uncompressed_hex.substr(2, 64);
}

std::string upper(std::string s) {
    for (auto &c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return s;
}

class CipherContract : public ::testing::Test {
  protected:
    std::shared_ptr<CipherClient> make(std::string_view config = "{}") {
        return CipherClient::create(host_.load(&vep_plugin_entry), config, nullptr);
    }
    std::shared_ptr<CipherClient::Key> import(const CipherClient &cipher, const std::array<uint8_t, 32> &priv) {
        return cipher.import(priv.data(), priv.size());
    }
    // The error code a call fails with, or "" when it succeeds.
    template <typename Fn>
    static std::string code_of(Fn &&fn) {
        try {
            fn();
        } catch (const vep::Failure &f) {
            return f.code();
        }
        return "";
    }
    std::string decrypt_code(const CipherClient &cipher, const CipherClient::Key &key, std::string_view payload) {
        std::string out;
        return code_of([&] { cipher.decrypt(key, payload, out); });
    }

    vep::testing::FakeHost host_;
};

TEST_F(CipherContract, DescriptorNamesTheBackend) {
    const vep_plugin_descriptor *d = host_.load(&vep_plugin_entry);
    EXPECT_EQ(d->kind, VEP_KIND_CIPHER);
    EXPECT_EQ(vep::view(d->name), VEP_E2EE_BACKEND_NAME);
    EXPECT_EQ(d->abi_major, VEP_ABI_MAJOR);
}

TEST_F(CipherContract, RefusesAHostWithAnotherAbiMajor) {
    host_.set_abi(VEP_ABI_MAJOR + 1, 0);
    EXPECT_THROW(host_.load(&vep_plugin_entry), std::runtime_error);
}

TEST_F(CipherContract, KnownAnswerVectorEncryptsByteForByte) {
    auto cipher = make();
    auto recipient = import(*cipher, filled(0x11));
    auto ephemeral = import(*cipher, filled(0x22));
    std::string out;
    cipher->encrypt(recipient->public_hex(), kKnownPlaintext, out, ephemeral.get(), kNonce.data());
    EXPECT_EQ(out, kKnownAnswer);
}

TEST_F(CipherContract, KnownAnswerVectorDecrypts) {
    auto cipher = make();
    auto recipient = import(*cipher, filled(0x11));
    std::string plain = "prefix:";
    cipher->decrypt(*recipient, kKnownAnswer, plain);
    EXPECT_EQ(plain, std::string("prefix:") + kKnownPlaintext);
    std::string upper_plain;
    cipher->decrypt(*recipient, upper(kKnownAnswer), upper_plain);
    EXPECT_EQ(upper_plain, kKnownPlaintext);
}

TEST_F(CipherContract, ExtraVectorPublicKey) {
    auto cipher = make();
    EXPECT_EQ(import(*cipher, filled(0x07))->public_hex(), kPublicOf07);
}

TEST_F(CipherContract, ExplicitDefaultInfoMatchesKnownAnswer) {
    auto cipher = make(R"({"hkdf_info":"ecdsa_encryption"})");
    auto recipient = import(*cipher, filled(0x11));
    std::string plain;
    cipher->decrypt(*recipient, kKnownAnswer, plain);
    EXPECT_EQ(plain, kKnownPlaintext);
}

TEST_F(CipherContract, OtherInfoDerivesAnotherKey) {
    auto cipher = make(R"({"hkdf_info":"other_info"})");
    auto recipient = import(*cipher, filled(0x11));
    auto ephemeral = import(*cipher, filled(0x22));
    EXPECT_EQ(decrypt_code(*cipher, *recipient, kKnownAnswer), "e2ee_tag_mismatch");
    std::string out;
    cipher->encrypt(recipient->public_hex(), kKnownPlaintext, out, ephemeral.get(), kNonce.data());
    EXPECT_EQ(out.substr(0, 154), std::string(kKnownAnswer).substr(0, 154));
    EXPECT_NE(out, kKnownAnswer);
    std::string plain;
    cipher->decrypt(*recipient, out, plain);
    EXPECT_EQ(plain, kKnownPlaintext);
}

TEST_F(CipherContract, ConfigIsValidated) {
    auto code = [&](std::string_view config) { return code_of([&] { make(config); }); };
    EXPECT_EQ(code(""), "");
    EXPECT_EQ(code(R"({"hkdf_info":"x"})"), "");
    EXPECT_EQ(code(R"({"hkdf_info":""})"), "invalid_config");
    EXPECT_EQ(code(R"({"hkdf_info":" \t "})"), "invalid_config");
    EXPECT_EQ(code(R"({"hkdf_info":5})"), "invalid_config");
    EXPECT_EQ(code(R"({"hkdf_info":"x","extra":true})"), "invalid_config");
    EXPECT_EQ(code(R"({"require_encrypted_response_content":true})"), "invalid_config");
    EXPECT_EQ(code("[]"), "invalid_config");
    EXPECT_EQ(code("{"), "invalid_json");
}

TEST_F(CipherContract, GeneratedKeysRoundTrip) {
    auto cipher = make();
    auto recipient = cipher->generate();
    const std::string &pub = recipient->public_hex();
    ASSERT_EQ(pub.size(), 130u);
    EXPECT_EQ(pub.substr(0, 2), "04");
    EXPECT_EQ(cipher->normalize_public_key(pub), pub);
    EXPECT_NE(cipher->generate()->public_hex(), pub);

    const std::vector<std::string> messages = {"", "a", "héllo wörld ✓ 日本語 🎉", std::string(65536, 'x')};
    for (const auto &msg : messages) {
        std::string payload;
        cipher->encrypt(pub, msg, payload);
        ASSERT_EQ(payload.size(), 186 + 2 * msg.size());
        EXPECT_EQ(payload.find_first_not_of("0123456789abcdef"), std::string::npos);
        std::string plain;
        cipher->decrypt(*recipient, payload, plain);
        EXPECT_EQ(plain, msg);
    }
}

TEST_F(CipherContract, FreshEphemeralAndNonceEveryField) {
    auto cipher = make();
    auto recipient = cipher->generate();
    std::string a, b;
    cipher->encrypt(recipient->public_hex(), "same", a);
    cipher->encrypt(recipient->public_hex(), "same", b);
    EXPECT_NE(a.substr(0, 130), b.substr(0, 130));
    EXPECT_NE(a.substr(130, 24), b.substr(130, 24));
}

TEST_F(CipherContract, ReusedEphemeralKeepsKeyButNotNonce) {
    auto cipher = make();
    auto first = cipher->generate();
    auto second = cipher->generate();
    auto ephemeral = cipher->generate();
    // Alternate peers so the derived-key cache must be replaced, not blindly reused.
    const std::vector<const CipherClient::Key *> order = {first.get(), first.get(), second.get(), first.get()};
    std::vector<std::string> nonces;
    for (const auto *peer : order) {
        std::string payload;
        cipher->encrypt(peer->public_hex(), "field", payload, ephemeral.get());
        EXPECT_EQ(payload.substr(0, 130), ephemeral->public_hex());
        nonces.push_back(payload.substr(130, 24));
        std::string plain;
        cipher->decrypt(*peer, payload, plain);
        EXPECT_EQ(plain, "field");
        const CipherClient::Key *other = peer == first.get() ? second.get() : first.get();
        EXPECT_EQ(decrypt_code(*cipher, *other, payload), "e2ee_tag_mismatch");
    }
    for (size_t i = 1; i < nonces.size(); ++i) EXPECT_NE(nonces[i], nonces[i - 1]);
}

TEST_F(CipherContract, EphemeralCacheIsPerInstance) {
    auto cipher = make();
    auto other_info = make(R"({"hkdf_info":"other_info"})");
    auto recipient = import(*cipher, filled(0x11));
    auto ephemeral = import(*cipher, filled(0x22));
    std::string ignored, out;
    cipher->encrypt(recipient->public_hex(), "warm the cache", ignored, ephemeral.get());
    other_info->encrypt(recipient->public_hex(), kKnownPlaintext, out, ephemeral.get(), kNonce.data());
    EXPECT_NE(out, kKnownAnswer);
    EXPECT_EQ(decrypt_code(*cipher, *recipient, out), "e2ee_tag_mismatch");
}

TEST_F(CipherContract, MalformedPayloadsHaveTheirOwnCodes) {
    auto cipher = make();
    auto recipient = import(*cipher, filled(0x11));
    const std::string good = kKnownAnswer;
    auto code = [&](const std::string &payload) { return decrypt_code(*cipher, *recipient, payload); };

    EXPECT_EQ(code(good), "");
    EXPECT_EQ(code(""), "e2ee_empty_payload");
    EXPECT_EQ(code(good + "0"), "e2ee_odd_length");
    EXPECT_EQ(code("abc"), "e2ee_odd_length");
    EXPECT_EQ(code(std::string(184, '0')), "e2ee_too_short");
    EXPECT_EQ(code("Hello there"), "e2ee_odd_length");
    EXPECT_EQ(code("Hello!"), "e2ee_too_short");
    std::string not_hex = good;
    not_hex[150] = 'g';
    EXPECT_EQ(code(not_hex), "e2ee_not_hex");
    EXPECT_EQ(code(std::string(200, ' ')), "e2ee_not_hex");
    EXPECT_EQ(code(std::string(100, 'A') + std::string(100, 'z')), "e2ee_not_hex");
    EXPECT_EQ(code("02" + good.substr(2)), "e2ee_bad_point_prefix");
    EXPECT_EQ(code("00" + good.substr(2)), "e2ee_bad_point_prefix");
    EXPECT_EQ(code("06" + good.substr(2)), "e2ee_bad_point_prefix");
    const std::string off_curve = "04" + std::string(63, '0') + "1" + std::string(63, '0') + "1";
    EXPECT_EQ(code(off_curve + good.substr(130)), "e2ee_point_not_on_curve");
    EXPECT_EQ(code("04" + std::string(128, '0') + good.substr(130)), "e2ee_point_not_on_curve");
    std::string flipped_y = good;
    flipped_y[128] = flipped_y[128] == '0' ? '1' : '0';
    EXPECT_EQ(code(flipped_y), "e2ee_point_not_on_curve");

    std::string bad_tag = good;
    bad_tag.back() = bad_tag.back() == '0' ? '1' : '0';
    EXPECT_EQ(code(bad_tag), "e2ee_tag_mismatch");
    std::string bad_ct = good;
    bad_ct[160] = bad_ct[160] == '0' ? '1' : '0';
    EXPECT_EQ(code(bad_ct), "e2ee_tag_mismatch");
    std::string bad_nonce = good;
    bad_nonce[131] = bad_nonce[131] == '0' ? '1' : '0';
    EXPECT_EQ(code(bad_nonce), "e2ee_tag_mismatch");
    EXPECT_EQ(code(good.substr(0, good.size() - 2)), "e2ee_tag_mismatch");
    EXPECT_EQ(code(good.substr(0, 186)), "e2ee_tag_mismatch");
}

TEST_F(CipherContract, FailedDecryptLeavesOutputUntouched) {
    auto cipher = make();
    auto recipient = import(*cipher, filled(0x11));
    std::string bad = kKnownAnswer;
    bad.back() = bad.back() == '0' ? '1' : '0';
    std::string out = "kept";
    EXPECT_THROW(cipher->decrypt(*recipient, bad, out), vep::Failure);
    EXPECT_EQ(out, "kept");
}

TEST_F(CipherContract, WrongKeyFailsWithTagMismatch) {
    auto cipher = make();
    auto wrong = import(*cipher, filled(0x07));
    EXPECT_EQ(decrypt_code(*cipher, *wrong, kKnownAnswer), "e2ee_tag_mismatch");
}

TEST_F(CipherContract, PlaintextMustBeUtf8PerField) {
    auto cipher = make();
    auto recipient = cipher->generate();
    const std::vector<std::string> invalid = {"\xff", "ok\xc3", "\xed\xa0\x80", "\xc0\xaf", "\xf4\x90\x80\x80"};
    for (const auto &bytes : invalid) {
        std::string payload;
        cipher->encrypt(recipient->public_hex(), bytes, payload);
        std::string out = "kept";
        EXPECT_EQ(code_of([&] { cipher->decrypt(*recipient, payload, out); }), "e2ee_invalid_utf8");
        EXPECT_EQ(out, "kept");
    }
    // A multi-byte character split across two fields fails in the first one.
    const std::string check = "\xe2\x9c\x93";
    std::string head, tail;
    cipher->encrypt(recipient->public_hex(), check.substr(0, 1), head);
    cipher->encrypt(recipient->public_hex(), check.substr(1), tail);
    EXPECT_EQ(decrypt_code(*cipher, *recipient, head), "e2ee_invalid_utf8");
    EXPECT_EQ(decrypt_code(*cipher, *recipient, tail), "e2ee_invalid_utf8");
}

TEST_F(CipherContract, NormalizesEveryAcceptedKeyForm) {
    auto cipher = make();
    const std::string canonical = kPublicOf07;
    const std::string compressed = compressed_of(canonical);
    const std::vector<std::string> forms = {
        canonical,        upper(canonical),        "0x" + canonical, "0X" + upper(canonical), canonical.substr(2),
        "0x" + canonical.substr(2), compressed, upper(compressed), "0x" + compressed,
    };
    for (const auto &form : forms) EXPECT_EQ(cipher->normalize_public_key(form), canonical) << form;
    // The other parity decompresses to the negated point.
    std::string other_parity = compressed;
    other_parity[1] = other_parity[1] == '2' ? '3' : '2';
    const std::string negated = cipher->normalize_public_key(other_parity);
    EXPECT_EQ(negated.substr(0, 66), canonical.substr(0, 66));
    EXPECT_NE(negated, canonical);
}

TEST_F(CipherContract, RejectsInvalidPublicKeys) {
    auto cipher = make();
    const std::string canonical = kPublicOf07;
    const std::vector<std::string> bad = {
        "",
        "0x",
        "04",
        canonical.substr(0, 128),
        canonical + "00",
        " " + canonical,
        canonical + "\n",
        "05" + canonical.substr(2),
        "06" + canonical.substr(2),
        "07" + canonical.substr(2),
        "04" + std::string(63, '0') + "1" + std::string(63, '0') + "1",
        "04" + std::string(128, '0'),
        std::string(63, '0') + "1" + std::string(63, '0') + "1",
        "02" + std::string(63, '0') + "5",
        "04" + canonical.substr(2, 126) + "zz",
        "0x0x" + canonical,
        "04" + std::string(128, 'f'),
    };
    for (const auto &key : bad) {
        EXPECT_EQ(code_of([&] { cipher->normalize_public_key(key); }), "e2ee_invalid_public_key") << key;
        std::string out;
        EXPECT_EQ(code_of([&] { cipher->encrypt(key, "x", out); }), "e2ee_invalid_public_key") << key;
        EXPECT_TRUE(out.empty());
    }
}

TEST_F(CipherContract, EncryptAcceptsEveryPeerKeyForm) {
    auto cipher = make();
    auto recipient = cipher->generate();
    const std::string pub = recipient->public_hex();
    for (const std::string &form : {pub, upper(pub), "0x" + pub.substr(2), compressed_of(pub)}) {
        std::string payload, plain;
        cipher->encrypt(form, "to any form", payload);
        cipher->decrypt(*recipient, payload, plain);
        EXPECT_EQ(plain, "to any form");
    }
}

TEST_F(CipherContract, RejectsInvalidPrivateKeys) {
    auto cipher = make();
    auto code = [&](const std::vector<uint8_t> &priv) {
        return code_of([&] { cipher->import(priv.data(), priv.size()); });
    };
    const auto order = from_hex32(kOrderHex);
    std::vector<uint8_t> n(order.begin(), order.end());
    std::vector<uint8_t> n_minus_1 = n;
    n_minus_1[31] -= 1;
    std::vector<uint8_t> n_plus_1 = n;
    n_plus_1[31] += 1;
    EXPECT_EQ(code(std::vector<uint8_t>(32, 0)), "e2ee_invalid_private_key");
    EXPECT_EQ(code(n), "e2ee_invalid_private_key");
    EXPECT_EQ(code(n_plus_1), "e2ee_invalid_private_key");
    EXPECT_EQ(code(std::vector<uint8_t>(32, 0xff)), "e2ee_invalid_private_key");
    EXPECT_EQ(code(std::vector<uint8_t>(31, 0x11)), "e2ee_invalid_private_key");
    EXPECT_EQ(code(std::vector<uint8_t>(33, 0x11)), "e2ee_invalid_private_key");
    EXPECT_EQ(code({}), "e2ee_invalid_private_key");
    EXPECT_EQ(code(n_minus_1), "");
    std::vector<uint8_t> one(32, 0);
    one[31] = 1;
    auto g = cipher->import(one.data(), one.size());
    EXPECT_EQ(g->public_hex().substr(0, 66), "0479be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798");
}

TEST_F(CipherContract, SharedInstanceAndEphemeralAreThreadSafe) {
    auto cipher = make();
    auto recipient = cipher->generate();
    auto ephemeral = cipher->generate();
    std::atomic<int> failures{0};
    std::mutex errors_mutex;
    std::string errors;
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&, t] {
            for (int i = 0; i < 50; ++i) {
                const std::string msg = "thread " + std::to_string(t) + " field " + std::to_string(i);
                std::string payload, plain;
                try {
                    cipher->encrypt(recipient->public_hex(), msg, payload, i % 2 ? ephemeral.get() : nullptr);
                    cipher->decrypt(*recipient, payload, plain);
                } catch (const vep::Failure &f) {
                    std::lock_guard<std::mutex> lock(errors_mutex);
                    errors += f.code() + ": " + f.what() + "\n";
                }
                if (plain != msg) ++failures;
            }
        });
    }
    for (auto &th : threads) th.join();
    EXPECT_EQ(failures.load(), 0) << errors;
}

TEST_F(CipherContract, NeverLogs) {
    auto cipher = make();
    auto recipient = import(*cipher, filled(0x11));
    std::string plain;
    cipher->decrypt(*recipient, kKnownAnswer, plain);
    EXPECT_EQ(decrypt_code(*cipher, *recipient, "zzz"), "e2ee_odd_length");
    EXPECT_TRUE(host_.logs().empty());
}

}  // namespace
