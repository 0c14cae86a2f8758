// See sse_response_reader.hpp.
#include "sse_response_reader.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>

namespace vep::bench {
namespace {

constexpr size_t kMaxHead = 64 * 1024;
constexpr size_t kMaxSizeLine = 1024;
constexpr size_t kMaxEvent = 4 * 1024 * 1024;

std::string lower(std::string_view s) {
    std::string out(s);
    for (auto &c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

}  // namespace

bool SseResponseReader::fail(std::string message) {
    if (error_.empty()) error_ = std::move(message);
    return false;
}

bool SseResponseReader::parse_headers() {
    const size_t end = head_.find("\r\n\r\n");
    if (head_.compare(0, 9, "HTTP/1.1 ") != 0 && head_.compare(0, 9, "HTTP/1.0 ") != 0)
        return fail("not an HTTP/1.x response");
    status_ = std::atoi(head_.c_str() + 9);
    size_t pos = head_.find("\r\n") + 2;
    while (pos < end) {
        const size_t eol = head_.find("\r\n", pos);
        const std::string_view line(head_.data() + pos, eol - pos);
        pos = eol + 2;
        const size_t colon = line.find(':');
        if (colon == std::string_view::npos) continue;
        const std::string name = lower(line.substr(0, colon));
        std::string_view value = line.substr(colon + 1);
        while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
        if (name == "transfer-encoding" && lower(value).find("chunked") != std::string::npos) mode_ = Body::Chunked;
        else if (name == "content-length" && mode_ != Body::Chunked) {
            mode_ = Body::Length;
            remaining_ = static_cast<size_t>(std::strtoull(std::string(value).c_str(), nullptr, 10));
        }
    }
    in_body_ = true;
    const std::string rest = head_.substr(end + 4);
    head_.clear();
    if (mode_ == Body::Length && remaining_ == 0) body_complete_ = true;
    return take_body(rest);
}

bool SseResponseReader::take_body(std::string_view bytes) {
    while (!bytes.empty() && !body_complete_) {
        if (mode_ == Body::UntilClose) {
            text_.append(bytes);
            return true;
        }
        if (mode_ == Body::Length) {
            const size_t n = std::min(remaining_, bytes.size());
            text_.append(bytes.substr(0, n));
            remaining_ -= n;
            if (remaining_ == 0) body_complete_ = true;
            return true;
        }
        if (remaining_ > 0) {
            const size_t n = std::min(remaining_, bytes.size());
            text_.append(bytes.substr(0, n));
            remaining_ -= n;
            bytes.remove_prefix(n);
            if (remaining_ == 0) chunk_crlf_ = true;
            continue;
        }
        // A chunk-size line, or the CRLF that ends a chunk's data (both read into size_line_).
        const size_t nl = bytes.find('\n');
        size_line_.append(bytes.substr(0, nl == std::string_view::npos ? bytes.size() : nl + 1));
        if (size_line_.size() > kMaxSizeLine) return fail("chunk-size line too long");
        if (nl == std::string_view::npos) return true;
        bytes.remove_prefix(nl + 1);
        if (chunk_crlf_) {
            if (size_line_ != "\r\n") return fail("chunk data not followed by CRLF");
            chunk_crlf_ = false;
            size_line_.clear();
            continue;
        }
        char *end = nullptr;
        const unsigned long long size = std::strtoull(size_line_.c_str(), &end, 16);
        if (end == size_line_.c_str()) return fail("bad chunk-size line");
        size_line_.clear();
        if (size == 0) {
            body_complete_ = true;  // trailers, if any, are ignored
            return true;
        }
        remaining_ = static_cast<size_t>(size);
    }
    return true;
}

void SseResponseReader::split_events(std::vector<SseClientEvent> &events) {
    size_t start = 0;
    for (;;) {
        const size_t end = text_.find("\n\n", start);
        if (end == std::string::npos) break;
        SseClientEvent event;
        bool any = false;
        size_t pos = start;
        while (pos < end) {
            size_t eol = text_.find('\n', pos);
            if (eol == std::string::npos || eol > end) eol = end;
            std::string_view line(text_.data() + pos, eol - pos);
            pos = eol + 1;
            if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
            if (line.rfind("data:", 0) == 0) {
                line.remove_prefix(5);
                if (!line.empty() && line.front() == ' ') line.remove_prefix(1);
                if (any) event.data += '\n';
                event.data.append(line);
                any = true;
            } else if (line.rfind("event:", 0) == 0) {
                line.remove_prefix(6);
                if (!line.empty() && line.front() == ' ') line.remove_prefix(1);
                event.name = std::string(line);
                any = true;
            }
        }
        if (any) events.push_back(std::move(event));
        start = end + 2;
    }
    text_.erase(0, start);
}

bool SseResponseReader::feed(std::string_view bytes, std::vector<SseClientEvent> &events) {
    if (!error_.empty()) return false;
    if (!in_body_) {
        head_.append(bytes);
        if (head_.find("\r\n\r\n") == std::string::npos)
            return head_.size() > kMaxHead ? fail("response headers too large") : true;
        if (!parse_headers()) return false;
    } else if (!take_body(bytes)) {
        return false;
    }
    split_events(events);
    if (text_.size() > kMaxEvent) return fail("SSE event too large");
    return true;
}

}  // namespace vep::bench
