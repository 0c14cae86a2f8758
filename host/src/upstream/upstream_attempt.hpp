// UpstreamAttempt: one upstream chat attempt after Venice answered its head with 2xx — the
// socket, detached from Poco's HTTP client (plain TCP or TLS), the body bytes the client had
// already read past the head, how the body is framed, and the pool the connection returns to when
// the body ended cleanly. Produced by VeniceClient::open_chat(),
// read by the relay (relay/upstream_reader.hpp).
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include <Poco/Net/StreamSocket.h>

#include "upstream/upstream_pool.hpp"

namespace vep::host {

// How an HTTP/1.1 response body ends: chunked transfer coding, a Content-Length, or the
// connection closing.
enum class BodyFraming { Chunked, Length, UntilClose };

struct UpstreamAttempt {
    Poco::Net::StreamSocket socket;
    bool tls = false;
    std::string initial_bytes;  // raw body bytes (framing included) read together with the head
    BodyFraming framing = BodyFraming::UntilClose;
    uint64_t content_length = 0;
    // Where the socket goes when the body was read to its exact end and the upstream keeps the
    // connection alive (null: close it).
    std::shared_ptr<UpstreamPool> pool;
    bool keep_alive = false;
};

}  // namespace vep::host
