// Fuzzes the values a client can make the proxy echo or log: the session id rule (an accepted id
// is bounded, trimmed and safe in a header), header-value safety, and log escaping (an escaped
// value is printable ASCII without quotes or backslashes and bounded). Any violation aborts.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "net/http_header.hpp"
#include "pipeline/access_log.hpp"
#include "session/session_id.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    const std::string_view input(reinterpret_cast<const char *>(data), size);

    if (const auto id = vep::host::normalize_session_id(input)) {
        if (id->size() > vep::host::kMaxSessionIdBytes) std::abort();
        if (!vep::host::is_safe_header_value(*id)) std::abort();
        if (!id->empty() && (id->front() == ' ' || id->front() == '\t' || id->back() == ' ' || id->back() == '\t'))
            std::abort();
        if (id->find_first_of("\r\n") != std::string::npos) std::abort();
    }

    if (vep::host::is_safe_header_value(input) && input.find_first_of(std::string_view("\r\n\0", 3)) != std::string_view::npos)
        std::abort();

    const std::string logged = vep::host::log_safe(input, 64);
    if (logged.size() > 64 * 4 + 3) std::abort();
    for (const char c : logged) {
        const auto u = static_cast<unsigned char>(c);
        if (u < 0x20 || u >= 0x7f || c == '"') std::abort();
    }
    return 0;
}
