// See ecdh_floor.hpp.
#include "ecdh_floor.hpp"

#include <time.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <stdexcept>

#include <openssl/rand.h>
#include <secp256k1_ecdh.h>

namespace vep::bench {
namespace {

int copy_x(unsigned char *out, const unsigned char *x32, const unsigned char *, void *) {
    std::memcpy(out, x32, 32);
    return 1;
}

void random_seckey(secp256k1_context *ctx, unsigned char *key) {
    do {
        if (RAND_bytes(key, 32) != 1) throw std::runtime_error("RAND_bytes failed");
    } while (!secp256k1_ec_seckey_verify(ctx, key));
}

}  // namespace

double thread_cpu_seconds() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

EcdhWorkload::EcdhWorkload() : ctx_(secp256k1_context_create(SECP256K1_CONTEXT_NONE)), points_(64) {
    random_seckey(ctx_, seckey_);
    for (auto &p : points_) {
        unsigned char k[32];
        random_seckey(ctx_, k);
        if (secp256k1_ec_pubkey_create(ctx_, &p, k) != 1) throw std::runtime_error("secp256k1_ec_pubkey_create failed");
    }
}

EcdhWorkload::~EcdhWorkload() { secp256k1_context_destroy(ctx_); }

void EcdhWorkload::one() {
    unsigned char x[32];
    if (secp256k1_ecdh(ctx_, x, &points_[next_++ % points_.size()], seckey_, &copy_x, nullptr) != 1)
        throw std::runtime_error("secp256k1_ecdh failed");
    sink_ = static_cast<unsigned char>(sink_ ^ x[0]);  // keeps the result observable
}

double measure_bare_ecdh_us(int iterations) {
    EcdhWorkload ecdh;
    std::array<double, 5> batches{};
    const int per_batch = std::max(1, iterations / static_cast<int>(batches.size()));
    for (auto &batch : batches) {
        const double start = thread_cpu_seconds();
        for (int i = 0; i < per_batch; ++i) ecdh.one();
        batch = (thread_cpu_seconds() - start) * 1e6 / per_batch;
    }
    std::sort(batches.begin(), batches.end());
    return batches[2];
}

}  // namespace vep::bench
