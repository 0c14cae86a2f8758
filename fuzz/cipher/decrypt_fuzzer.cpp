// libFuzzer target: the e2ee decrypt path (and peer-key normalisation) of both cipher backends.
//
// The first input byte picks a mode, the rest is the data:
//   0: the data is the payload text as received from upstream;
//   1: the data is raw packed bytes, hex-encoded before decrypting (reaches point and GCM code);
//   2: the data follows the known-answer ephemeral key and nonce (reaches HKDF and GCM);
//   3: the data is a peer public key text for normalize_public_key.
// Both backends must agree on every input (same failure code or same output); a disagreement,
// a crash or a sanitizer report is a finding.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

#include "openssl_cipher.hpp"
#include "secp256k1_cipher.hpp"
#include "vep/client.hpp"
#include "vep/plugin.hpp"
#include "vep/testing/fake_host.hpp"

namespace {

using vep::client::CipherClient;

// The known-answer payload's ephemeral public key and nonce, as hex.
constexpr char kKnownHeader[] =
    "04466d7fcae563e5cb09a0d1870bb580344804617879a14949cf22285f1bae3f276728176c3c6431f8eeda4538dc37c865e2784f3a9e77"
    "d044f33e407797e1278aa0a1a2a3a4a5a6a7a8a9aaab";

struct Backend {
    std::shared_ptr<CipherClient> cipher;
    std::shared_ptr<CipherClient::Key> recipient;
};

template <typename Class>
Backend make_backend(const vep::testing::FakeHost &host, const char *name) {
    char err[256] = {0};
    const vep_plugin_descriptor *d = vep::detail::plugin_entry<Class>(host.api(), err, sizeof err, name, "fuzz", "fuzz");
    if (!d) std::abort();
    Backend b;
    b.cipher = CipherClient::create(d, "{}", nullptr);
    uint8_t scalar[32];
    for (auto &byte : scalar) byte = 0x11;
    b.recipient = b.cipher->import(scalar, sizeof scalar);
    return b;
}

std::string outcome(const Backend &b, int mode, const std::string &text) {
    std::string out;
    try {
        if (mode == 3)
            out = b.cipher->normalize_public_key(text);
        else
            b.cipher->decrypt(*b.recipient, text, out);
    } catch (const vep::Failure &f) {
        return "fail:" + f.code();
    }
    return "ok:" + out;
}

std::string to_hex(const uint8_t *data, size_t len) {
    static const char digits[] = "0123456789abcdef";
    std::string out;
    out.reserve(2 * len);
    for (size_t i = 0; i < len; ++i) {
        out += digits[data[i] >> 4];
        out += digits[data[i] & 0x0f];
    }
    return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    static vep::testing::FakeHost host;
    static const Backend secp = make_backend<vep::e2ee::Secp256k1Cipher>(host, "secp256k1");
    static const Backend ossl = make_backend<vep::e2ee::OpensslCipher>(host, "openssl");
    if (size == 0 || size > 4096) return 0;
    const int mode = data[0] % 4;
    const uint8_t *body = data + 1;
    const size_t len = size - 1;
    std::string text;
    switch (mode) {
    case 1: text = to_hex(body, len); break;
    case 2: text = std::string(kKnownHeader) + to_hex(body, len); break;
    default: text.assign(reinterpret_cast<const char *>(body), len);
    }
    const std::string a = outcome(secp, mode, text);
    const std::string b = outcome(ossl, mode, text);
    if (a != b) {
        std::fprintf(stderr, "backends disagree (mode %d): secp256k1 -> %s, openssl -> %s\n", mode, a.c_str(), b.c_str());
        std::abort();
    }
    return 0;
}
