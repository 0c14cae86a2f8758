// See client_output.hpp.
#include "relay/client_output.hpp"

#include "net/http_header.hpp"
#include "net/response_head.hpp"

namespace vep::host {
namespace {

// Bytes already written are dropped from the front of the buffer once they exceed this.
constexpr size_t kCompactAt = 16 * 1024;

void append_hex(std::string &out, size_t n) {
    char digits[sizeof(size_t) * 2];
    int i = 0;
    do {
        digits[i++] = "0123456789abcdef"[n & 0xf];
        n >>= 4;
    } while (n != 0);
    while (i > 0) out += digits[--i];
}

}  // namespace

void ClientOutput::head(int status, const HeaderList &headers, std::string_view content_type,
                        std::ptrdiff_t content_length, std::string_view cache_control) {
    ResponseHead head(status, framing_ == Framing::Http10);
    head.set("Content-Type", content_type);
    if (!cache_control.empty()) head.set("Cache-Control", cache_control);
    for (const auto &h : headers) head.set(h.first, h.second);
    HeaderList cors;
    if (!cors_origin_.empty()) cors = cors_headers(cors_origin_);
    for (const auto &h : cors) head.set(h.first, h.second);
    if (content_length >= 0) head.frame(ResponseHead::Framing::Length, static_cast<size_t>(content_length));
    else head.frame(ResponseHead::Framing::Chunked);
    if (keep_alive_) head.keep_alive();
    head.append_to(buffer_);
}

void ClientOutput::chunk(std::string_view a, std::string_view b, std::string_view c) {
    if (framing_ == Framing::Http10) {
        buffer_.append(a).append(b).append(c);
        return;
    }
    append_hex(buffer_, a.size() + b.size() + c.size());
    buffer_ += "\r\n";
    buffer_.append(a).append(b).append(c);
    buffer_ += "\r\n";
}

void ClientOutput::start_stream(const HeaderList &headers) {
    head(200, headers, "text/event-stream", -1, "no-cache");
    started_ = true;
}

bool ClientOutput::event(std::string_view json) {
    if (gone_) return false;
    chunk("data: ", json, "\n\n");
    return true;
}

bool ClientOutput::event(std::string_view name, std::string_view json) {
    if (gone_) return false;
    std::string head = "event: ";
    head.append(name).append("\ndata: ");
    chunk(head, json, "\n\n");
    return true;
}

bool ClientOutput::comment() {
    if (gone_ || !started_ || ended_) return false;
    chunk(":", "", "\n\n");
    return true;
}

bool ClientOutput::done() {
    if (gone_) return false;
    chunk("data: [DONE]", "", "\n\n");
    return true;
}

void ClientOutput::error_event(const ProxyError &error) {
    if (gone_) return;
    if (error_form_ != nullptr) chunk(error_form_->stream_end(error), "", "");
    else chunk("data: ", error.to_json(), "\n\n");
}

void ClientOutput::whole(int status, const HeaderList &headers, std::string_view body) {
    head(status, headers, "application/json", static_cast<std::ptrdiff_t>(body.size()));
    buffer_.append(body);
    started_ = true;
    ended_ = true;
}

void ClientOutput::error_response(const ProxyError &error) {
    HeaderList headers{{"X-Venice-Proxy-Error-Code", error.code()}};
    if (!request_id_.empty()) headers.emplace_back("X-Request-Id", request_id_);
    whole(error.status(), headers, error_form_ != nullptr ? error_form_->body(error) : error.to_json());
}

void ClientOutput::end() {
    if (started_ && !ended_ && !gone_ && framing_ == Framing::Http11) buffer_ += "0\r\n\r\n";
    ended_ = true;
}

void ClientOutput::consumed(size_t n) {
    written_ += n;
    if (written_ == buffer_.size()) {
        buffer_.clear();
        written_ = 0;
    } else if (written_ >= kCompactAt) {
        buffer_.erase(0, written_);
        written_ = 0;
    }
}

}  // namespace vep::host
