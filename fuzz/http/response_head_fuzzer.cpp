// libFuzzer target: random bytes parsed as an upstream response head (upstream/upstream_http.cpp).
//
// Checks, besides memory safety: a head is either refused with upstream_malformed_response or
// gives a three-digit status, a length only with Length framing, and no keep-alive for a body
// that ends with the connection; the same bytes with CRLF line ends and with LF line ends give
// the same answer.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>

#include "errors/proxy_error.hpp"
#include "upstream/upstream_http.hpp"

namespace {

using vep::host::BodyFraming;
using vep::host::ProxyError;
using vep::host::UpstreamResponseHead;

std::optional<UpstreamResponseHead> parse(std::string_view text) {
    try {
        return vep::host::parse_response_head(text);
    } catch (const ProxyError &e) {
        if (e.code() != "upstream_malformed_response") std::abort();
        return std::nullopt;
    }
}

bool same(const std::optional<UpstreamResponseHead> &a, const std::optional<UpstreamResponseHead> &b) {
    if (a.has_value() != b.has_value()) return false;
    return !a || (a->status == b->status && a->framing == b->framing && a->content_length == b->content_length &&
                  a->keep_alive == b->keep_alive);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    const std::string_view text(reinterpret_cast<const char *>(data), size);
    const auto head = parse(text);
    if (head) {
        if (head->status < 100 || head->status > 999) std::abort();
        if (head->framing != BodyFraming::Length && head->content_length != 0) std::abort();
        if (head->framing == BodyFraming::UntilClose && head->keep_alive) std::abort();
    }
    // Line ends: the input with every bare LF written as CRLF reads the same, if it has no CR.
    if (text.find('\r') == std::string_view::npos) {
        std::string crlf;
        for (const char c : text) {
            if (c == '\n') crlf += '\r';
            crlf += c;
        }
        if (!same(head, parse(crlf))) std::abort();
    }
    return 0;
}
