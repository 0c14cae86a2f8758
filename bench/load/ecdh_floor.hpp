// The floor of the per-chunk cost: one bare libsecp256k1 ECDH (secp256k1_ecdh on an already
// parsed point, x-coordinate output, as bench_cipher's bare_ecdh), timed in CPU time of the
// calling thread. bench_load measures it in the same run as the load so the ratio is honest.
#pragma once

namespace vep::bench {

// CPU microseconds per ECDH over `iterations` calls (median of 5 batches).
double measure_bare_ecdh_us(int iterations);

}  // namespace vep::bench
