// See random_uuid.hpp.
#include "ids/random_uuid.hpp"

#include <openssl/rand.h>

#include <array>
#include <cstdint>
#include <cstring>
#include <stdexcept>

namespace vep::host {
namespace {

// Random bytes drawn from the CSPRNG a block at a time per thread: one RAND_bytes call serves 32
// ids (a call costs about as much for 512 bytes as for 16). Each byte is handed out once.
class RandomBlock {
  public:
    void take(uint8_t *out, size_t n) {
        if (used_ + n > block_.size()) {
            if (RAND_bytes(block_.data(), static_cast<int>(block_.size())) != 1)
                throw std::runtime_error("the random generator failed");
            used_ = 0;
        }
        std::memcpy(out, block_.data() + used_, n);
        std::memset(block_.data() + used_, 0, n);
        used_ += n;
    }

  private:
    std::array<uint8_t, 512> block_{};
    size_t used_ = 512;
};

}  // namespace

std::string random_uuid() {
    thread_local RandomBlock random;
    std::array<uint8_t, 16> bytes{};
    random.take(bytes.data(), bytes.size());
    bytes[6] = static_cast<uint8_t>((bytes[6] & 0x0f) | 0x40);  // version 4
    bytes[8] = static_cast<uint8_t>((bytes[8] & 0x3f) | 0x80);  // variant 10xx (RFC 4122)
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string out;
    out.reserve(36);
    for (size_t i = 0; i < bytes.size(); ++i) {
        if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
        out += kDigits[bytes[i] >> 4];
        out += kDigits[bytes[i] & 0x0f];
    }
    return out;
}

}  // namespace vep::host
