// See access_log.hpp.
#include "pipeline/access_log.hpp"

#include "log/log.hpp"

namespace vep::host {

std::string log_safe(std::string_view value, size_t max_bytes) {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string out;
    const size_t n = std::min(value.size(), max_bytes);
    out.reserve(n + 8);
    for (size_t i = 0; i < n; ++i) {
        const auto c = static_cast<unsigned char>(value[i]);
        if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
            out += static_cast<char>(c);
        } else {
            out += "\\x";
            out += kDigits[c >> 4];
            out += kDigits[c & 0xf];
        }
    }
    if (value.size() > max_bytes) out += "...";
    return out;
}

void log_chat_request(const Exchange &ex, const RelayOutcome &outcome, std::chrono::steady_clock::time_point started) {
    auto &log = logger("proxy.http");
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
    std::string line = "chat request_id=" + (ex.request_id.empty() ? std::string("-") : log_safe(ex.request_id)) +
                       " key=" + (ex.caller ? log_safe(ex.caller->id) : std::string("-")) +
                       " model=" + (ex.chat ? log_safe(ex.chat->model) : std::string("-")) +
                       " stream=" + (ex.chat && ex.chat->stream ? "true" : "false") +
                       " status=" + std::to_string(outcome.status) + " ms=" + std::to_string(ms.count());
    if (!outcome.code.empty()) line += " code=" + log_safe(outcome.code);
    if (ex.tee_only) line += " e2ee=tee-only";
    if (outcome.succeeded) log.information(line);
    else if (outcome.client_gone) log.information(line + " (client disconnected)");
    else log.warning(line);
}

}  // namespace vep::host
