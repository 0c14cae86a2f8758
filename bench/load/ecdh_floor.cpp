// See ecdh_floor.hpp.
#include "ecdh_floor.hpp"

#include <time.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <stdexcept>
#include <vector>

#include <openssl/rand.h>
#include <secp256k1.h>
#include <secp256k1_ecdh.h>

namespace vep::bench {
namespace {

int copy_x(unsigned char *out, const unsigned char *x32, const unsigned char *, void *) {
    std::memcpy(out, x32, 32);
    return 1;
}

double thread_cpu_seconds() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

void random_seckey(secp256k1_context *ctx, unsigned char *key) {
    do {
        if (RAND_bytes(key, 32) != 1) throw std::runtime_error("RAND_bytes failed");
    } while (!secp256k1_ec_seckey_verify(ctx, key));
}

}  // namespace

double measure_bare_ecdh_us(int iterations) {
    secp256k1_context *ctx = secp256k1_context_create(SECP256K1_CONTEXT_NONE);
    unsigned char seckey[32];
    random_seckey(ctx, seckey);
    std::vector<secp256k1_pubkey> points(64);
    for (auto &p : points) {
        unsigned char k[32];
        random_seckey(ctx, k);
        if (secp256k1_ec_pubkey_create(ctx, &p, k) != 1) throw std::runtime_error("secp256k1_ec_pubkey_create failed");
    }
    std::array<double, 5> batches{};
    const int per_batch = std::max(1, iterations / static_cast<int>(batches.size()));
    unsigned char x[32];
    volatile unsigned char sink = 0;  // keeps the result observable
    for (auto &batch : batches) {
        const double start = thread_cpu_seconds();
        for (int i = 0; i < per_batch; ++i) {
            if (secp256k1_ecdh(ctx, x, &points[static_cast<size_t>(i) % points.size()], seckey, &copy_x, nullptr) != 1)
                throw std::runtime_error("secp256k1_ecdh failed");
            sink = static_cast<unsigned char>(sink ^ x[0]);
        }
        batch = (thread_cpu_seconds() - start) * 1e6 / per_batch;
    }
    secp256k1_context_destroy(ctx);
    std::sort(batches.begin(), batches.end());
    return batches[2];
}

}  // namespace vep::bench
