// See upstream_http.hpp.
#include "upstream/upstream_http.hpp"

#include <Poco/Net/NetException.h>

#include "errors/proxy_error.hpp"
#include "net/http_header.hpp"
#include "vep/text.hpp"

namespace vep::host {
namespace {

constexpr size_t kMaxResponseHead = 64 * 1024;
constexpr size_t kMaxResponseFields = 100;
constexpr size_t kReadSize = 16 * 1024;
constexpr int kMaxInterimHeads = 8;

[[noreturn]] void malformed(const std::string &detail) {
    throw ProxyError::of("upstream_malformed_response", "Venice upstream response head is malformed: " + detail);
}

// Whether the comma-separated `list` holds `token` (ASCII case-insensitive).
bool has_token(std::string_view list, std::string_view token) {
    while (!list.empty()) {
        const size_t comma = list.find(',');
        if (header_name_equals(trim_ascii(list.substr(0, comma)), token)) return true;
        if (comma == std::string_view::npos) break;
        list.remove_prefix(comma + 1);
    }
    return false;
}

// The last coding of a Transfer-Encoding list.
std::string_view last_coding(std::string_view list) {
    const size_t comma = list.rfind(',');
    return trim_ascii(comma == std::string_view::npos ? list : list.substr(comma + 1));
}

uint64_t parse_length(std::string_view text) {
    text = trim_ascii(text);
    if (text.empty() || text.size() > 18) malformed("Content-Length is not a number");
    uint64_t n = 0;
    for (const char c : text) {
        if (c < '0' || c > '9') malformed("Content-Length is not a number");
        n = n * 10 + static_cast<uint64_t>(c - '0');
    }
    return n;
}

// The next line of `head` from `pos` (without its CRLF or LF); advances `pos` past it.
std::string_view next_line(std::string_view head, size_t &pos) {
    const size_t end = head.find('\n', pos);
    std::string_view line = head.substr(pos, end == std::string_view::npos ? std::string_view::npos : end - pos);
    pos = end == std::string_view::npos ? head.size() : end + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    return line;
}

// The end of the head in `buffer` (just past its blank line), searching from `from`; npos while
// incomplete.
size_t head_end(std::string_view buffer, size_t from) {
    for (size_t nl = buffer.find('\n', from); nl != std::string_view::npos; nl = buffer.find('\n', nl + 1)) {
        if (nl + 1 < buffer.size() && buffer[nl + 1] == '\n') return nl + 2;
        if (nl + 2 < buffer.size() && buffer[nl + 1] == '\r' && buffer[nl + 2] == '\n') return nl + 3;
    }
    return std::string_view::npos;
}

}  // namespace

std::string request_head(std::string_view method, std::string_view target, std::string_view host,
                         const std::vector<RequestField> &fields, std::optional<size_t> content_length) {
    std::string head;
    head.reserve(512);
    head.append(method).append(" ").append(target).append(" HTTP/1.1\r\nHost: ").append(host).append("\r\n");
    for (const auto &field : fields) head.append(field.name).append(": ").append(field.value).append("\r\n");
    if (content_length) head.append("Content-Length: ").append(std::to_string(*content_length)).append("\r\n");
    head.append("Connection: keep-alive\r\n\r\n");
    return head;
}

std::string host_header_value(const std::string &host, uint16_t port, bool https) {
    std::string value = host.find(':') != std::string::npos ? "[" + host + "]" : host;
    if (port != (https ? 443 : 80)) value += ":" + std::to_string(port);
    return value;
}

UpstreamResponseHead parse_response_head(std::string_view head) {
    size_t pos = 0;
    const std::string_view status_line = next_line(head, pos);
    if (status_line.size() < 12 || status_line.substr(0, 7) != "HTTP/1." || status_line[8] != ' ' ||
        (status_line.size() > 12 && status_line[12] != ' '))
        malformed("the status line is not HTTP/1.x");
    UpstreamResponseHead out;
    for (size_t i = 9; i < 12; ++i) {
        if (status_line[i] < '0' || status_line[i] > '9') malformed("the status code is not three digits");
        out.status = out.status * 10 + (status_line[i] - '0');
    }
    if (out.status < 100) malformed("the status code is below 100");
    const bool http11 = status_line[7] == '1';
    bool close = false, keep_alive = false, chunked = false, has_coding = false;
    std::optional<uint64_t> length;
    size_t fields = 0;
    for (;;) {
        if (pos >= head.size()) malformed("the head does not end with a blank line");
        const std::string_view line = next_line(head, pos);
        if (line.empty()) break;
        if (++fields > kMaxResponseFields) malformed("more than 100 header fields");
        if (line.front() == ' ' || line.front() == '\t') malformed("a folded header line");
        const size_t colon = line.find(':');
        if (colon == std::string_view::npos || colon == 0) malformed("a header line without a name");
        const std::string_view name = line.substr(0, colon);
        const std::string_view value = trim_ascii(line.substr(colon + 1));
        if (header_name_equals(name, "Connection")) {
            close = close || has_token(value, "close");
            keep_alive = keep_alive || has_token(value, "keep-alive");
        } else if (header_name_equals(name, "Transfer-Encoding")) {
            has_coding = true;
            chunked = header_name_equals(last_coding(value), "chunked");
        } else if (header_name_equals(name, "Content-Length")) {
            const uint64_t n = parse_length(value);
            if (length && *length != n) malformed("two different Content-Length values");
            length = n;
        }
    }
    out.keep_alive = !close && (http11 || keep_alive);
    if (out.status == 204 || out.status == 304 || out.status < 200) {
        out.framing = BodyFraming::Length;
    } else if (has_coding) {
        // A coding other than chunked last, or a Content-Length beside it: the body ends with the
        // connection, which is not reused (RFC 9112, section 6.3).
        out.framing = chunked ? BodyFraming::Chunked : BodyFraming::UntilClose;
        if (!chunked || length) out.keep_alive = false;
    } else if (length) {
        out.framing = BodyFraming::Length;
        out.content_length = *length;
    } else {
        out.keep_alive = false;
    }
    return out;
}

UpstreamResponseHead read_response_head(Poco::Net::StreamSocket &socket, std::string &rest) {
    std::string buffer;
    size_t searched = 0;
    int interim = 0;
    char chunk[kReadSize];
    for (;;) {
        // The blank line may have begun in the bytes searched before: a CRLF CRLF split after its
        // first byte starts up to 3 bytes back.
        const size_t end = head_end(buffer, searched >= 3 ? searched - 3 : 0);
        if (end != std::string::npos) {
            const UpstreamResponseHead head = parse_response_head(std::string_view(buffer).substr(0, end));
            // An interim answer (100 Continue, 103 Early Hints) is followed by the final one.
            if (head.status >= 100 && head.status < 200 && head.status != 101) {
                if (++interim > kMaxInterimHeads) malformed("more than 8 interim (1xx) responses");
                buffer.erase(0, end);
                searched = 0;
                continue;
            }
            rest = buffer.substr(end);
            return head;
        }
        if (buffer.size() >= kMaxResponseHead) malformed("larger than 64 KiB");
        searched = buffer.size();
        const int n = socket.receiveBytes(chunk, static_cast<int>(kReadSize));
        if (n <= 0) throw Poco::Net::NoMessageException();
        buffer.append(chunk, static_cast<size_t>(n));
    }
}

}  // namespace vep::host
