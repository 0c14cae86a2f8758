// The floor of the per-chunk cost: one bare libsecp256k1 ECDH (secp256k1_ecdh on an already
// parsed point, x-coordinate output, as bench_cipher's bare_ecdh). EcdhWorkload is that one
// operation, shared by the timing below and by the relay floor (relay_floor.hpp); bench_load
// measures both in the same run as the load so the ratios are honest.
#pragma once

#include <vector>

#include <secp256k1.h>

namespace vep::bench {

// A random private key and 64 parsed random points; one() does one ECDH with the next point.
class EcdhWorkload {
  public:
    EcdhWorkload();
    ~EcdhWorkload();
    EcdhWorkload(const EcdhWorkload &) = delete;
    EcdhWorkload &operator=(const EcdhWorkload &) = delete;
    // Throws std::runtime_error when libsecp256k1 fails.
    void one();

  private:
    secp256k1_context *ctx_;
    unsigned char seckey_[32];
    std::vector<secp256k1_pubkey> points_;
    size_t next_ = 0;
    unsigned char sink_ = 0;
};

// CPU time of the calling thread, in seconds.
double thread_cpu_seconds();

// CPU microseconds per ECDH over `iterations` calls (median of 5 batches).
double measure_bare_ecdh_us(int iterations);

}  // namespace vep::bench
