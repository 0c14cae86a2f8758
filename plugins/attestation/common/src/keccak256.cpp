// Keccak-256 (Ethereum variant): sponge over Keccak-f[1600], rate 136 bytes, padding 0x01..0x80.
#include "vep/attestation/keccak256.hpp"

#include "keccak_sponge.hpp"

#include <cstring>

namespace vep::attestation {
namespace {

constexpr size_t kRate = 136;

constexpr uint64_t kRoundConstants[24] = {
    0x0000000000000001ULL, 0x0000000000008082ULL, 0x800000000000808aULL, 0x8000000080008000ULL,
    0x000000000000808bULL, 0x0000000080000001ULL, 0x8000000080008081ULL, 0x8000000000008009ULL,
    0x000000000000008aULL, 0x0000000000000088ULL, 0x0000000080008009ULL, 0x000000008000000aULL,
    0x000000008000808bULL, 0x800000000000008bULL, 0x8000000000008089ULL, 0x8000000000008003ULL,
    0x8000000000008002ULL, 0x8000000000000080ULL, 0x000000000000800aULL, 0x800000008000000aULL,
    0x8000000080008081ULL, 0x8000000000008080ULL, 0x0000000080000001ULL, 0x8000000080008008ULL,
};

// Rotation offsets and lane permutation of the combined rho/pi step, in pi order starting at lane 1.
constexpr unsigned kRho[24] = {1, 3, 6, 10, 15, 21, 28, 36, 45, 55, 2, 14, 27, 41, 56, 8, 25, 43, 62, 18, 39, 61, 20, 44};
constexpr unsigned kPi[24] = {10, 7, 11, 17, 18, 3, 5, 16, 8, 21, 24, 4, 15, 23, 19, 13, 12, 2, 20, 14, 22, 9, 6, 1};

inline uint64_t rotl(uint64_t x, unsigned n) { return (x << n) | (x >> (64 - n)); }

void keccak_f1600(uint64_t st[25]) {
    for (uint64_t rc : kRoundConstants) {
        uint64_t c[5];
        for (int x = 0; x < 5; ++x) c[x] = st[x] ^ st[x + 5] ^ st[x + 10] ^ st[x + 15] ^ st[x + 20];
        for (int x = 0; x < 5; ++x) {
            const uint64_t d = c[(x + 4) % 5] ^ rotl(c[(x + 1) % 5], 1);
            for (int y = 0; y < 25; y += 5) st[y + x] ^= d;
        }
        uint64_t carry = st[1];
        for (int i = 0; i < 24; ++i) {
            const unsigned j = kPi[i];
            const uint64_t next = st[j];
            st[j] = rotl(carry, kRho[i]);
            carry = next;
        }
        for (int y = 0; y < 25; y += 5) {
            uint64_t row[5];
            for (int x = 0; x < 5; ++x) row[x] = st[y + x];
            for (int x = 0; x < 5; ++x) st[y + x] = row[x] ^ (~row[(x + 1) % 5] & row[(x + 2) % 5]);
        }
        st[0] ^= rc;
    }
}

// XORs one rate-sized block (little-endian lanes) into the state.
void absorb_block(uint64_t st[25], const uint8_t *block) {
    for (size_t i = 0; i < kRate / 8; ++i) {
        uint64_t lane = 0;
        for (int b = 7; b >= 0; --b) lane = (lane << 8) | block[i * 8 + static_cast<size_t>(b)];
        st[i] ^= lane;
    }
}

}  // namespace

std::array<uint8_t, 32> keccak_sponge_256(const uint8_t *data, size_t len, uint8_t domain_padding) {
    uint64_t st[25] = {};
    while (len >= kRate) {
        absorb_block(st, data);
        keccak_f1600(st);
        data += kRate;
        len -= kRate;
    }
    uint8_t last[kRate] = {};
    if (len) std::memcpy(last, data, len);
    last[len] ^= domain_padding;
    last[kRate - 1] ^= 0x80;
    absorb_block(st, last);
    keccak_f1600(st);

    std::array<uint8_t, 32> out{};
    for (size_t i = 0; i < out.size(); ++i) out[i] = static_cast<uint8_t>(st[i / 8] >> (8 * (i % 8)));
    return out;
}

std::array<uint8_t, 32> keccak256(const uint8_t *data, size_t len) { return keccak_sponge_256(data, len, 0x01); }

}  // namespace vep::attestation
