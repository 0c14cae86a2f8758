// The HTTP/1.1 message heads of the proxy's requests to Venice, written and read by the proxy
// itself on the upstream socket (plain TCP or TLS): the request head as one string (so head and
// body leave in one send), and the response head read off the socket up to its blank line, with
// what follows it kept for the body reader. Replaces Poco's HTTPClientSession, whose header
// streams write and read a character per virtual call. Bounded: a response head larger than
// 64 KiB or with more than 100 fields is refused. Used by VeniceClient.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <Poco/Net/StreamSocket.h>

#include "upstream/upstream_attempt.hpp"

namespace vep::host {

// One request header field; both views must stay valid for the call they are passed to.
struct RequestField {
    std::string_view name;
    std::string_view value;
};

// "METHOD target HTTP/1.1", Host, `fields` in order, Content-Length when `content_length` is set,
// `Connection: keep-alive` and the blank line.
std::string request_head(std::string_view method, std::string_view target, std::string_view host,
                         const std::vector<RequestField> &fields, std::optional<size_t> content_length);

// The Host header value of `host`:`port` (IPv6 literals in brackets, the port left out when it is
// the scheme's default).
std::string host_header_value(const std::string &host, uint16_t port, bool https);

// What a response head says about the response.
struct UpstreamResponseHead {
    int status = 0;
    BodyFraming framing = BodyFraming::UntilClose;
    uint64_t content_length = 0;  // with BodyFraming::Length
    bool keep_alive = false;      // the upstream keeps the connection open after this response
};

// Parses one response head: the status line, the fields, the blank line (CRLF or LF line ends).
// Throws ProxyError upstream_malformed_response.
UpstreamResponseHead parse_response_head(std::string_view head);

// Reads the first final (not 1xx) response head off `socket`; the bytes read past it are left in
// `rest`. Throws Poco::Exception on transport failures and timeouts (the socket's receive
// timeout), Poco::Net::NoMessageException when the connection closed before a head arrived, and
// ProxyError upstream_malformed_response.
UpstreamResponseHead read_response_head(Poco::Net::StreamSocket &socket, std::string &rest);

}  // namespace vep::host
