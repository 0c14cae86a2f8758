// Reading request bodies within server.max_body_bytes, and discarding unread ones (Poco resets the
// connection when a reply leaves more than ~4 KiB unread). Used by the handlers.
#pragma once

#include <cstdint>
#include <string>

#include <Poco/Net/HTTPServerRequest.h>

namespace vep::host {

// The whole body; throws ProxyError request_too_large (413) beyond `limit` bytes.
std::string read_body(Poco::Net::HTTPServerRequest &request, uint64_t limit);

// Reads and drops what is left of the body, up to `limit` bytes.
void discard_body(Poco::Net::HTTPServerRequest &request, uint64_t limit);

}  // namespace vep::host
