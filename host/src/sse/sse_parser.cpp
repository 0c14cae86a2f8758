#include "sse/sse_parser.hpp"

#include <cstring>

#include "openai/unicode_trim.hpp"
#include "vep/json.hpp"

namespace vep::host {
namespace {

[[noreturn]] void malformed(const std::string &detail) { throw malformed_upstream_stream(detail); }

}  // namespace

ProxyError malformed_upstream_stream(const std::string &detail) {
    return ProxyError::of("upstream_malformed_response", "Venice upstream stream event is malformed: " + detail);
}

std::optional<SseEvent> parse_sse_event(std::string_view raw) {
    if (!json::is_valid_utf8(raw)) malformed("upstream SSE event is not valid UTF-8");
    SseEvent event;
    bool saw_data = false, saw_field = false;
    size_t pos = 0;
    while (pos < raw.size()) {
        const size_t nl = raw.find('\n', pos);
        std::string_view line = raw.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
        pos = nl == std::string_view::npos ? raw.size() : nl + 1;
        // A CRLF line ending, then one more optional trailing \r (the reference strips both).
        if (nl != std::string_view::npos && !line.empty() && line.back() == '\r') line.remove_suffix(1);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        if (line.empty() || line.front() == ':') continue;

        saw_field = true;
        const size_t colon = line.find(':');
        const std::string_view field = line.substr(0, colon);
        std::string_view value = colon == std::string_view::npos ? std::string_view() : line.substr(colon + 1);
        if (!value.empty() && value.front() == ' ') value.remove_prefix(1);
        if (field == "event") {
            event.event = std::string(value);
        } else if (field == "data") {
            if (saw_data) event.data += '\n';
            event.data += value;
            saw_data = true;
        } else if (field != "id" && field != "retry") {
            std::string quoted;
            json::write_string(quoted, field);
            malformed("unsupported upstream SSE field " + quoted);
        }
    }
    if (!saw_data) {
        if (saw_field) malformed("upstream SSE event did not contain a data field");
        return std::nullopt;
    }
    return event;
}

void SseParser::feed(std::string_view bytes) {
    compact();
    buffer_.append(bytes.data(), bytes.size());
}

void SseParser::compact() {
    if (head_ == 0) return;
    buffer_.erase(0, head_);
    scan_ -= head_;
    head_ = 0;
}

bool SseParser::find_boundary(size_t &start, size_t &length) {
    const size_t end = buffer_.size();
    const char *base = buffer_.data();
    for (size_t i = scan_; i < end;) {
        // The next '\n' or '\r': memchr for the line feed, then for a carriage return before it.
        const auto *lf = static_cast<const char *>(std::memchr(base + i, '\n', end - i));
        const size_t lf_at = lf ? static_cast<size_t>(lf - base) : end;
        const auto *cr = static_cast<const char *>(std::memchr(base + i, '\r', lf_at - i));
        i = cr ? static_cast<size_t>(cr - base) : lf_at;
        if (i >= end) break;
        const char c = base[i];
        if (i + 1 >= end) {
            scan_ = i;
            return false;
        }
        const char c1 = base[i + 1];
        if ((c == '\n' && c1 == '\n') || (c == '\r' && c1 == '\r')) {
            start = i;
            length = 2;
            return true;
        }
        if (c == '\r' && c1 == '\n') {
            if (i + 2 >= end || (base[i + 2] == '\r' && i + 3 >= end)) {
                scan_ = i;
                return false;
            }
            if (base[i + 2] == '\r' && base[i + 3] == '\n') {
                start = i;
                length = 4;
                return true;
            }
        }
        ++i;
    }
    scan_ = end;
    return false;
}

std::optional<SseEvent> SseParser::next() {
    for (;;) {
        size_t start = 0, length = 0;
        if (!find_boundary(start, length)) {
            if (buffer_.size() - head_ > max_event_bytes_)
                malformed("upstream SSE event exceeds the maximum size of " + std::to_string(max_event_bytes_) +
                          " bytes");
            return std::nullopt;
        }
        const std::string_view raw(buffer_.data() + head_, start - head_);
        head_ = start + length;
        scan_ = head_;
        if (raw.size() > max_event_bytes_)
            malformed("upstream SSE event exceeds the maximum size of " + std::to_string(max_event_bytes_) + " bytes");
        if (auto event = parse_sse_event(raw)) return event;
    }
}

void SseParser::fail_at_end_of_stream() const {
    if (!is_blank(std::string_view(buffer_).substr(head_)))
        malformed("upstream stream ended with an incomplete SSE event");
    malformed("upstream stream ended before data: [DONE]");
}

}  // namespace vep::host
