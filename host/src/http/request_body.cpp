// See request_body.hpp.
#include "http/request_body.hpp"

#include <istream>

#include <Poco/Exception.h>

#include <Poco/Net/HTTPServerRequestImpl.h>

#include "errors/proxy_error.hpp"
#include "http/framed_session.hpp"

namespace vep::host {
namespace {

// Bodies discarded before an answer are read only up to this size.
constexpr uint64_t kDiscardLimit = 64 * 1024;
// The largest Content-Length that is still a plain number we can hold.
constexpr size_t kMaxLengthDigits = 19;

// The declared Content-Length: nullopt when absent; throws invalid_request when it is not a
// plain decimal number.
std::optional<uint64_t> declared_length(const Poco::Net::HTTPServerRequest &request) {
    if (!request.has(Poco::Net::HTTPMessage::CONTENT_LENGTH)) return std::nullopt;
    const std::string &text = request.get(Poco::Net::HTTPMessage::CONTENT_LENGTH);
    if (text.empty() || text.size() > kMaxLengthDigits || text.find_first_not_of("0123456789") != std::string::npos)
        throw ProxyError::of("invalid_request", "Content-Length must be a decimal number of at most 19 digits");
    return std::stoull(text);
}

bool chunked(const Poco::Net::HTTPServerRequest &request) { return request.getChunkedTransferEncoding(); }

// Whether a chunked body stopped at broken framing: Poco's stream then ends early, leaving the
// rest of the request unread in the session (a body that ended with its last chunk leaves none —
// unless the client pipelined its next request behind it, which the clients of these APIs do
// not do; such a request is refused as malformed, never misread).
bool chunked_body_broken(Poco::Net::HTTPServerRequest &request) {
    auto *impl = dynamic_cast<Poco::Net::HTTPServerRequestImpl *>(&request);
    auto *session = impl ? dynamic_cast<FramedSession *>(&impl->session()) : nullptr;
    return session && session->unread() > 0;
}

}  // namespace

std::string read_body(Poco::Net::HTTPServerRequest &request, uint64_t limit) {
    const auto too_large = [&] {
        return ProxyError::of("request_too_large",
                              "request body is larger than server.max_body_bytes (" + std::to_string(limit) + " bytes)");
    };
    const std::optional<uint64_t> length = declared_length(request);
    if (length && *length > limit) throw too_large();
    std::string body;
    std::istream &in = request.stream();
    char buf[16384];
    try {
        while (in.read(buf, sizeof buf) || in.gcount() > 0) {
            body.append(buf, static_cast<size_t>(in.gcount()));
            if (body.size() > limit) throw too_large();
        }
    } catch (const Poco::Exception &e) {
        throw ProxyError::of("invalid_request", "the request body is not framed correctly: " + e.message());
    }
    // The stream swallows its buffer's exceptions (bad chunked coding) and only sets badbit.
    if (in.bad() || (chunked(request) && chunked_body_broken(request)))
        throw ProxyError::of("invalid_request", "the request body is not framed correctly (chunked coding)");
    if (length && body.size() != *length)
        throw ProxyError::of("invalid_request", "the request body ended after " + std::to_string(body.size()) +
                                                    " of its " + std::to_string(*length) + " declared bytes");
    return body;
}

void discard_body(Poco::Net::HTTPServerRequest &request, Poco::Net::HTTPServerResponse &response) {
    std::optional<uint64_t> length;
    try {
        length = declared_length(request);
    } catch (const ProxyError &) {
        response.setKeepAlive(false);
        return;
    }
    if (!chunked(request) && (!length || *length == 0)) {
        // No body, or one that only the connection's end delimits: nothing can be read safely.
        if (!length && request.getMethod() != "GET" && request.getMethod() != "HEAD") response.setKeepAlive(false);
        return;
    }
    if (length && *length > kDiscardLimit) {
        response.setKeepAlive(false);
        return;
    }
    std::istream &in = request.stream();
    char buf[16384];
    uint64_t total = 0;
    try {
        while (in.read(buf, sizeof buf) || in.gcount() > 0) {
            total += static_cast<uint64_t>(in.gcount());
            if (total > kDiscardLimit) {
                response.setKeepAlive(false);
                return;
            }
        }
    } catch (const Poco::Exception &) {
        response.setKeepAlive(false);
    }
}

}  // namespace vep::host
