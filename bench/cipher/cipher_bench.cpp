// Cipher backend microbenchmarks. Both backends are driven through the SDK trampolines and
// CipherClient (the same ABI path the host uses), so the numbers include the C boundary.
//   decrypt_chunk      one streamed answer chunk: 4-byte plaintext, fresh server ephemeral key
//   encrypt_field      one 200-byte message with a fresh ephemeral key (ephemeral_key_per=field)
//   encrypt_request    the same with one reused ephemeral handle (ephemeral_key_per=request)
//   bare_ecdh          secp256k1_ecdh on a parsed point, x-coordinate output: the floor
//   bare_parse_ecdh    secp256k1_ec_pubkey_parse + secp256k1_ecdh: the floor incl. point check
//   decrypt_non_ecdh   what a chunk decrypt costs besides the ECDH: HKDF-SHA256 and AES-256-GCM
//                      open of a 4-byte chunk with the shared codec (vep_e2ee_common)
#include <benchmark/benchmark.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include <openssl/rand.h>
#include <secp256k1.h>
#include <secp256k1_ecdh.h>

#include "openssl_cipher.hpp"
#include "vep_e2ee/field_aead.hpp"
#include "vep/hex.hpp"
#include "secp256k1_cipher.hpp"
#include "vep/client.hpp"
#include "vep/plugin.hpp"
#include "vep/testing/fake_host.hpp"

namespace {

using vep::client::CipherClient;

constexpr size_t kChunkPayloads = 64;
const std::string kChunkPlaintext = "word";                 // a typical 1-token chunk
const std::string kMessagePlaintext(200, 'm');               // a typical short message

vep::testing::FakeHost &host() {
    static vep::testing::FakeHost h;
    return h;
}

template <typename Class>
std::shared_ptr<CipherClient> make_cipher(const char *name) {
    char err[256] = {0};
    const vep_plugin_descriptor *d = vep::detail::plugin_entry<Class>(host().api(), err, sizeof err, name, "bench", "bench");
    return CipherClient::create(d, "{}", nullptr);
}

std::shared_ptr<CipherClient> cipher_for(int backend) {
    static auto secp = make_cipher<vep::e2ee::Secp256k1Cipher>("secp256k1");
    static auto ossl = make_cipher<vep::e2ee::OpensslCipher>("openssl");
    return backend == 0 ? secp : ossl;
}

const char *backend_name(int backend) { return backend == 0 ? "secp256k1" : "openssl"; }

void decrypt_chunk(benchmark::State &state) {
    auto cipher = cipher_for(static_cast<int>(state.range(0)));
    state.SetLabel(backend_name(static_cast<int>(state.range(0))));
    auto recipient = cipher->generate();
    std::vector<std::string> payloads(kChunkPayloads);
    for (auto &p : payloads) cipher->encrypt(recipient->public_hex(), kChunkPlaintext, p);
    std::string plain;
    size_t i = 0;
    for (auto _ : state) {
        plain.clear();
        cipher->decrypt(*recipient, payloads[i++ % kChunkPayloads], plain);
        benchmark::DoNotOptimize(plain.data());
    }
    state.SetItemsProcessed(state.iterations());
}

void encrypt_field(benchmark::State &state) {
    auto cipher = cipher_for(static_cast<int>(state.range(0)));
    state.SetLabel(backend_name(static_cast<int>(state.range(0))));
    auto model = cipher->generate();
    std::string payload;
    for (auto _ : state) {
        payload.clear();
        cipher->encrypt(model->public_hex(), kMessagePlaintext, payload);
        benchmark::DoNotOptimize(payload.data());
    }
    state.SetItemsProcessed(state.iterations());
}

void encrypt_request(benchmark::State &state) {
    auto cipher = cipher_for(static_cast<int>(state.range(0)));
    state.SetLabel(backend_name(static_cast<int>(state.range(0))));
    auto model = cipher->generate();
    auto ephemeral = cipher->generate();
    std::string payload;
    for (auto _ : state) {
        payload.clear();
        cipher->encrypt(model->public_hex(), kMessagePlaintext, payload, ephemeral.get());
        benchmark::DoNotOptimize(payload.data());
    }
    state.SetItemsProcessed(state.iterations());
}

int copy_x(unsigned char *out, const unsigned char *x32, const unsigned char *, void *) {
    std::memcpy(out, x32, 32);
    return 1;
}

// Aborts the benchmark binary when a set-up call fails (the numbers would be meaningless).
void require(int ok, const char *what) {
    if (ok != 1) {
        std::fprintf(stderr, "bench set-up failed: %s\n", what);
        std::abort();
    }
}

// A randomised context, a valid secret scalar and kChunkPayloads serialized peer points.
struct BareEcdhFixture {
    secp256k1_context *ctx = secp256k1_context_create(SECP256K1_CONTEXT_NONE);
    unsigned char seckey[32];
    std::vector<std::array<unsigned char, 65>> points;
    BareEcdhFixture() {
        unsigned char seed[32];
        RAND_bytes(seed, sizeof seed);
        require(secp256k1_context_randomize(ctx, seed), "randomize");
        do RAND_bytes(seckey, sizeof seckey);
        while (!secp256k1_ec_seckey_verify(ctx, seckey));
        points.resize(kChunkPayloads);
        for (auto &p : points) {
            unsigned char k[32];
            do RAND_bytes(k, sizeof k);
            while (!secp256k1_ec_seckey_verify(ctx, k));
            secp256k1_pubkey pub;
            require(secp256k1_ec_pubkey_create(ctx, &pub, k), "pubkey_create");
            size_t len = p.size();
            secp256k1_ec_pubkey_serialize(ctx, p.data(), &len, &pub, SECP256K1_EC_UNCOMPRESSED);
        }
    }
    ~BareEcdhFixture() { secp256k1_context_destroy(ctx); }
};

void bare_ecdh(benchmark::State &state) {
    BareEcdhFixture f;
    std::vector<secp256k1_pubkey> parsed(kChunkPayloads);
    for (size_t i = 0; i < kChunkPayloads; ++i)
        require(secp256k1_ec_pubkey_parse(f.ctx, &parsed[i], f.points[i].data(), 65), "pubkey_parse");
    unsigned char x[32];
    size_t i = 0;
    for (auto _ : state) {
        if (secp256k1_ecdh(f.ctx, x, &parsed[i++ % kChunkPayloads], f.seckey, &copy_x, nullptr) != 1)
            state.SkipWithError("secp256k1_ecdh failed");
        benchmark::DoNotOptimize(x);
    }
    state.SetItemsProcessed(state.iterations());
}

void bare_parse_ecdh(benchmark::State &state) {
    BareEcdhFixture f;
    unsigned char x[32];
    size_t i = 0;
    for (auto _ : state) {
        secp256k1_pubkey pub;
        if (secp256k1_ec_pubkey_parse(f.ctx, &pub, f.points[i++ % kChunkPayloads].data(), 65) != 1 ||
            secp256k1_ecdh(f.ctx, x, &pub, f.seckey, &copy_x, nullptr) != 1)
            state.SkipWithError("parse or ecdh failed");
        benchmark::DoNotOptimize(x);
    }
    state.SetItemsProcessed(state.iterations());
}

}  // namespace

void decrypt_non_ecdh(benchmark::State &state) {
    vep::e2ee::FieldAead aead("ecdsa_encryption");
    vep::e2ee::Secret32 shared_x, key;
    vep::e2ee::Nonce nonce{};
    require(RAND_bytes(shared_x.data(), static_cast<int>(shared_x.size())), "RAND_bytes");
    require(RAND_bytes(nonce.data(), static_cast<int>(nonce.size())), "RAND_bytes");
    aead.derive_key(shared_x, key);
    std::string sealed;
    aead.seal_append_hex(key, nonce, kChunkPlaintext, sealed);
    std::vector<uint8_t> ciphertext(kChunkPlaintext.size());
    vep::e2ee::Tag tag;
    require(vep::hex::decode_into(std::string_view(sealed).substr(0, 2 * ciphertext.size()), ciphertext.data()), "hex");
    require(vep::hex::decode_into(std::string_view(sealed).substr(2 * ciphertext.size()), tag.data()), "hex");
    std::vector<uint8_t> work(ciphertext.size());
    for (auto _ : state) {
        aead.derive_key(shared_x, key);
        work = ciphertext;
        if (!aead.open_in_place(key, nonce, work.data(), work.size(), tag)) state.SkipWithError("tag mismatch");
        benchmark::DoNotOptimize(work.data());
    }
    state.SetItemsProcessed(state.iterations());
}

BENCHMARK(decrypt_chunk)->ArgName("backend")->Arg(0)->Arg(1)->Unit(benchmark::kMicrosecond);
BENCHMARK(encrypt_field)->ArgName("backend")->Arg(0)->Arg(1)->Unit(benchmark::kMicrosecond);
BENCHMARK(encrypt_request)->ArgName("backend")->Arg(0)->Arg(1)->Unit(benchmark::kMicrosecond);
BENCHMARK(bare_ecdh)->Unit(benchmark::kMicrosecond);
BENCHMARK(bare_parse_ecdh)->Unit(benchmark::kMicrosecond);
BENCHMARK(decrypt_non_ecdh)->Unit(benchmark::kMicrosecond);

BENCHMARK_MAIN();
