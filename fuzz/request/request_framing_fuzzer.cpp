// Fuzzes a client's request bytes through the server's framing: Poco parses the head from a
// socket pair, then read_body() reads the body within a small limit. Checks: nothing but a
// ProxyError (400 invalid_request, 408, 413 request_too_large) or Poco's own head errors escapes,
// and an accepted body is exactly as long as a declared Content-Length and within the limit.
#include <sys/socket.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <string>

#include <Poco/Exception.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/Net/HTTPServerResponseImpl.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/Net/StreamSocketImpl.h>

#include "errors/proxy_error.hpp"
#include "http/framed_session.hpp"
#include "http/request_body.hpp"

namespace {

constexpr uint64_t kLimit = 4096;
constexpr size_t kMaxInput = 48 * 1024;  // fits a socket pair's buffer: the write never blocks

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size > kMaxInput) return 0;
    int fds[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, fds) != 0) return 0;
    size_t written = 0;
    while (written < size) {
        const ssize_t n = ::write(fds[1], data + written, size - written);
        if (n <= 0) break;
        written += static_cast<size_t>(n);
    }
    ::shutdown(fds[1], SHUT_WR);
    try {
        Poco::Net::StreamSocket socket(new Poco::Net::StreamSocketImpl(fds[0]));
        socket.setReceiveTimeout(Poco::Timespan(1, 0));
        Poco::Net::HTTPServerParams::Ptr params(new Poco::Net::HTTPServerParams);
        vep::host::FramedSession session(socket, params, nullptr);
        Poco::Net::HTTPServerResponseImpl response(session);
        Poco::Net::HTTPServerRequestImpl request(response, session, params);
        try {
            const std::string body = vep::host::read_body(request, kLimit);
            if (body.size() > kLimit) std::abort();
            if (request.has("Content-Length") && std::stoull(request.get("Content-Length")) != body.size()) std::abort();
        } catch (const vep::host::ProxyError &e) {
            if (e.code() != "invalid_request" && e.code() != "request_too_large") std::abort();
        }
    } catch (const Poco::Exception &) {
        // a malformed head: Poco answers it with 400 itself
    }
    ::close(fds[1]);
    return 0;
}
