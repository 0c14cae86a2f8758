// See http_body_decoder.hpp.
#include "upstream/http_body_decoder.hpp"

#include <algorithm>

#include "errors/proxy_error.hpp"

namespace vep::host {
namespace {

// A chunk-size line with extensions, or one trailer field, longer than this is refused.
constexpr size_t kMaxFramingLine = 4096;
// Larger chunks than this are refused (no legitimate SSE chunk comes near it).
constexpr uint64_t kMaxChunkSize = uint64_t{1} << 40;

[[noreturn]] void malformed(const std::string &detail) {
    throw ProxyError::of("upstream_malformed_response", "Venice upstream response body is malformed: " + detail);
}

int hex_digit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

}  // namespace

HttpBodyDecoder::HttpBodyDecoder(Framing framing, uint64_t content_length)
    : framing_(framing), remaining_(content_length) {
    if (framing == Framing::Chunked) state_ = State::Size;
    else if (framing == Framing::Length) state_ = content_length == 0 ? State::Done : State::Data;
    else state_ = State::Data;
}

// Collects one CRLF- (or LF-) terminated line into line_; true with the line (without its
// terminator) in `line_out` when complete.
bool HttpBodyDecoder::take_line(std::string_view raw, size_t &pos, std::string &line_out) {
    while (pos < raw.size()) {
        const char c = raw[pos++];
        if (c == '\n') {
            if (!line_.empty() && line_.back() == '\r') line_.pop_back();
            line_out.swap(line_);
            line_.clear();
            return true;
        }
        if (line_.size() >= kMaxFramingLine) malformed("a chunk framing line is longer than 4096 bytes");
        line_ += c;
    }
    return false;
}

void HttpBodyDecoder::on_size_line(const std::string &line) {
    uint64_t size = 0;
    size_t i = 0;
    for (; i < line.size(); ++i) {
        const int d = hex_digit(line[i]);
        if (d < 0) break;
        if (size > kMaxChunkSize) malformed("a chunk size is too large");
        size = size * 16 + static_cast<uint64_t>(d);
    }
    if (i == 0) malformed("a chunk size line is not hexadecimal");
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    if (i < line.size() && line[i] != ';') malformed("a chunk size line has trailing garbage");
    remaining_ = size;
    state_ = size == 0 ? State::Trailer : State::Data;
}

void HttpBodyDecoder::feed(std::string_view raw, std::string &body) {
    size_t pos = 0;
    std::string line;
    while (pos < raw.size() && state_ != State::Done) {
        switch (state_) {
        case State::Data: {
            if (framing_ == Framing::UntilClose) {
                body.append(raw.substr(pos));
                return;
            }
            const size_t n = static_cast<size_t>(std::min<uint64_t>(remaining_, raw.size() - pos));
            body.append(raw.substr(pos, n));
            pos += n;
            remaining_ -= n;
            if (remaining_ == 0) state_ = framing_ == Framing::Length ? State::Done : State::DataEnd;
            break;
        }
        case State::DataEnd:
            if (take_line(raw, pos, line)) {
                if (!line.empty()) malformed("a chunk is longer than its size");
                state_ = State::Size;
            }
            break;
        case State::Size:
            if (take_line(raw, pos, line)) on_size_line(line);
            break;
        case State::Trailer:
            if (take_line(raw, pos, line) && line.empty()) state_ = State::Done;
            break;
        case State::Done:
            break;
        }
    }
    if (state_ == State::Done && pos < raw.size()) overrun_ = true;
}

}  // namespace vep::host
