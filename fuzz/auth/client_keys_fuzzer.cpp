// Fuzzes client authentication with one input split in two at its first NUL byte: the first part
// as a keys file (parse: a set or a std::runtime_error, nothing else), the second as the
// Authorization and x-api-key header values. A key set that parsed must authenticate no secret it
// was not made for, and a presented secret is never empty.
#include <cstdint>
#include <cstdlib>
#include <stdexcept>
#include <string_view>

#include "auth/client_keys.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    const std::string_view input(reinterpret_cast<const char *>(data), size);
    const size_t split = input.find('\0');
    const std::string_view file = input.substr(0, split);
    const std::string_view headers = split == std::string_view::npos ? std::string_view() : input.substr(split + 1);

    const size_t mid = headers.size() / 2;
    const auto secret = vep::host::presented_secret(headers.substr(0, mid), headers.substr(mid));
    if (secret && secret->empty()) std::abort();

    try {
        const auto set = vep::host::ClientKeySet::parse(file, "fuzz.json");
        if (secret && set.authenticate(*secret)) {
            // Only a secret whose SHA-256 a key lists may authenticate.
            const auto digest = vep::host::sha256_of(*secret);
            if (set.authenticate(*secret)->secret_sha256 != digest) std::abort();
        }
    } catch (const std::runtime_error &) {
        // refused with a reason
    }
    return 0;
}
