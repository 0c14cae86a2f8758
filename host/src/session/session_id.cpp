// See session_id.hpp.
#include "session/session_id.hpp"

namespace vep::host {

std::optional<std::string> normalize_session_id(std::string_view raw) {
    const auto blank = [](char c) { return c == ' ' || c == '\t'; };
    while (!raw.empty() && blank(raw.front())) raw.remove_prefix(1);
    while (!raw.empty() && blank(raw.back())) raw.remove_suffix(1);
    if (raw.size() > kMaxSessionIdBytes) return std::nullopt;
    for (const char c : raw) {
        const auto u = static_cast<unsigned char>(c);
        if (u < 0x21 || u > 0x7e) return std::nullopt;
    }
    return std::string(raw);
}

}  // namespace vep::host
