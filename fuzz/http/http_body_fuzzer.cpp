// libFuzzer target: random bytes decoded as a chunked (or Content-Length) upstream body, fed in
// random splits.
//
// Checks, besides memory safety and the bounded buffers: the body, whether it finished, and the
// first error do not depend on where the network split the bytes — the same input in one piece
// must give the same result; a Content-Length body is exactly its first N bytes.
#include <cstddef>
#include <cstdint>
#include <algorithm>
#include <cstdlib>
#include <string>
#include <string_view>

#include "errors/proxy_error.hpp"
#include "upstream/http_body_decoder.hpp"

namespace {

using vep::host::HttpBodyDecoder;
using vep::host::ProxyError;

struct Outcome {
    std::string body;
    bool finished = false;
    std::string error;
    bool operator==(const Outcome &) const = default;
};

Outcome run(std::string_view raw, HttpBodyDecoder::Framing framing, uint64_t length, uint64_t seed) {
    Outcome out;
    HttpBodyDecoder decoder(framing, length);
    uint64_t state = seed | 1;
    try {
        for (size_t pos = 0; pos < raw.size();) {
            size_t size = raw.size();
            if (seed != 0) {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                size = 1 + static_cast<size_t>(state % 23);
            }
            decoder.feed(raw.substr(pos, size), out.body);
            pos += size;
        }
    } catch (const ProxyError &e) {
        out.error = e.what();
    }
    out.finished = decoder.finished();
    return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 2) return 0;
    const uint64_t seed = data[0] + 1u;
    const std::string_view raw(reinterpret_cast<const char *>(data) + 2, size - 2);

    const Outcome whole = run(raw, HttpBodyDecoder::Framing::Chunked, 0, 0);
    const Outcome split = run(raw, HttpBodyDecoder::Framing::Chunked, 0, seed);
    // Whether an error happens must not depend on the split; without one, everything must agree.
    if (whole.error.empty() != split.error.empty()) std::abort();
    if (whole.error.empty() && !(whole == split)) std::abort();
    if (whole.body.size() > raw.size()) std::abort();

    const uint64_t length = data[1];
    const Outcome fixed = run(raw, HttpBodyDecoder::Framing::Length, length, seed);
    if (!fixed.error.empty() || fixed.body != raw.substr(0, std::min<uint64_t>(length, raw.size()))) std::abort();
    if (fixed.finished != (raw.size() >= length)) std::abort();
    return 0;
}
