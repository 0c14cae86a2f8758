// See response_head.hpp.
#include "net/response_head.hpp"

#include <cstdio>
#include <ctime>

#include <Poco/Net/HTTPResponse.h>

#include "net/http_header.hpp"

namespace vep::host {

ResponseHead::ResponseHead(int status, bool http10) : status_(status), http10_(http10) {
    fields_.reserve(24);
    set("Date", http_date_now());
}

void ResponseHead::set(std::string_view name, std::string_view value) {
    for (auto &field : fields_) {
        if (header_name_equals(field.first, name)) {
            field.second = value;
            return;
        }
    }
    fields_.emplace_back(name, value);
}

void ResponseHead::frame(Framing framing, size_t length) {
    framing_ = framing == Framing::Chunked && http10_ ? Framing::UntilClose : framing;
    length_ = framing_ == Framing::Length ? std::to_string(length) : std::string();
}

void ResponseHead::append_to(std::string &out) const {
    const auto status = static_cast<Poco::Net::HTTPResponse::HTTPStatus>(status_);
    out.append(http10_ ? "HTTP/1.0 " : "HTTP/1.1 ").append(std::to_string(status_)).append(" ");
    out.append(Poco::Net::HTTPResponse::getReasonForStatus(status)).append("\r\n");
    for (const auto &[name, value] : fields_) out.append(name).append(": ").append(value).append("\r\n");
    if (framing_ == Framing::Chunked) out.append("Transfer-Encoding: chunked\r\n");
    else if (framing_ == Framing::Length) out.append("Content-Length: ").append(length_).append("\r\n");
    const bool keep_alive = keep_alive_ && !http10_ && framing_ != Framing::UntilClose;
    out.append(keep_alive ? "Connection: Keep-Alive\r\n\r\n" : "Connection: Close\r\n\r\n");
}

std::string_view http_date_now() {
    static constexpr const char *kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static constexpr const char *kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                              "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    thread_local std::time_t formatted_second = -1;
    thread_local char text[32];
    thread_local size_t length = 0;
    const std::time_t now = std::time(nullptr);
    if (now != formatted_second) {
        std::tm utc{};
        gmtime_r(&now, &utc);
        const int n = std::snprintf(text, sizeof text, "%s, %02d %s %04d %02d:%02d:%02d GMT", kDays[utc.tm_wday % 7],
                                    utc.tm_mday, kMonths[utc.tm_mon % 12], utc.tm_year + 1900, utc.tm_hour,
                                    utc.tm_min, utc.tm_sec);
        length = n > 0 ? static_cast<size_t>(n) : 0;
        formatted_second = now;
    }
    return {text, length};
}

}  // namespace vep::host
