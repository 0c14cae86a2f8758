// Reading request bodies: within a size limit, with strict framing (a Content-Length that is a
// plain decimal number, a body exactly that long, well-formed chunked coding), and discarding the
// body of a request answered without it — only when the body is framed and small, so an
// unframed or huge body never holds a worker thread; the connection is closed instead. Used by
// the route handlers and the request guard.
#pragma once

#include <cstdint>
#include <string>

#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

namespace vep::host {

// The whole body. Throws ProxyError request_too_large (413) beyond `limit` bytes (at once when
// the declared length is larger) and invalid_request (400) for a malformed Content-Length, a body
// shorter than it, or broken chunked coding.
std::string read_body(Poco::Net::HTTPServerRequest &request, uint64_t limit);

// Before answering without reading the body: reads and drops a small framed body, else marks the
// response to close the connection (a body left unread would be taken for the next request).
void discard_body(Poco::Net::HTTPServerRequest &request, Poco::Net::HTTPServerResponse &response);

}  // namespace vep::host
