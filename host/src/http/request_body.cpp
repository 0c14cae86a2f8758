// See request_body.hpp.
#include "http/request_body.hpp"

#include <istream>

#include "errors/proxy_error.hpp"

namespace vep::host {

std::string read_body(Poco::Net::HTTPServerRequest &request, uint64_t limit) {
    const auto too_large = [&] {
        return ProxyError::of("request_too_large",
                              "request body is larger than server.max_body_bytes (" + std::to_string(limit) + " bytes)");
    };
    if (request.hasContentLength() && static_cast<uint64_t>(request.getContentLength64()) > limit) throw too_large();
    std::string body;
    std::istream &in = request.stream();
    char buf[16384];
    while (in.read(buf, sizeof buf) || in.gcount() > 0) {
        body.append(buf, static_cast<size_t>(in.gcount()));
        if (body.size() > limit) throw too_large();
    }
    return body;
}

void discard_body(Poco::Net::HTTPServerRequest &request, uint64_t limit) {
    std::istream &in = request.stream();
    char buf[16384];
    uint64_t total = 0;
    while (total < limit && (in.read(buf, sizeof buf) || in.gcount() > 0)) total += static_cast<uint64_t>(in.gcount());
}

}  // namespace vep::host
