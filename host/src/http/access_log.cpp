// See access_log.hpp.
#include "http/access_log.hpp"

#include "log/log.hpp"

namespace vep::host {

void log_chat_request(const Exchange &ex, const ChatOutcome &outcome, std::chrono::steady_clock::time_point started) {
    auto &log = logger("proxy.http");
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
    std::string line = "chat request_id=" + (ex.request_id.empty() ? std::string("-") : ex.request_id) +
                       " model=" + (ex.chat ? ex.chat->model : std::string("-")) +
                       " stream=" + (ex.chat && ex.chat->stream ? "true" : "false") +
                       " status=" + std::to_string(outcome.status) + " ms=" + std::to_string(ms.count());
    if (!outcome.code.empty()) line += " code=" + outcome.code;
    if (outcome.succeeded) log.information(line);
    else if (outcome.client_gone) log.information(line + " (client disconnected)");
    else log.warning(line);
}

}  // namespace vep::host
