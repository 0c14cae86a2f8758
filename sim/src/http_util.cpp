#include "http_util.hpp"

#include <istream>

namespace vep::sim {

namespace {

// An oversized body is still read (and dropped) up to this many bytes so the client gets the 413
// instead of a reset connection; beyond it the connection is closed.
constexpr size_t kDrainLimit = 16u << 20;

void drain(std::istream &in, size_t already) {
    char buffer[16384];
    while (in && already < kDrainLimit) {
        in.read(buffer, sizeof buffer);
        const auto got = static_cast<size_t>(in.gcount());
        if (got == 0) break;
        already += got;
    }
}

}  // namespace

std::optional<std::string> read_body(Poco::Net::HTTPServerRequest &request, size_t max_bytes) {
    std::istream &in = request.stream();
    if (request.hasContentLength() && request.getContentLength64() > static_cast<Poco::Int64>(max_bytes)) {
        if (request.getContentLength64() <= static_cast<Poco::Int64>(kDrainLimit)) drain(in, 0);
        return std::nullopt;
    }
    std::string body;
    char buffer[16384];
    while (in) {
        in.read(buffer, sizeof buffer);
        const auto got = static_cast<size_t>(in.gcount());
        if (got == 0) break;
        if (body.size() + got > max_bytes) {
            drain(in, body.size() + got);
            return std::nullopt;
        }
        body.append(buffer, got);
    }
    return body;
}

bool bearer_matches(const Poco::Net::HTTPServerRequest &request, std::string_view api_key) {
    const std::string expected = "Bearer " + std::string(api_key);
    const std::string given = request.get("Authorization", "");
    if (given.size() != expected.size()) return false;
    unsigned char diff = 0;
    for (size_t i = 0; i < given.size(); ++i) diff |= static_cast<unsigned char>(given[i] ^ expected[i]);
    return diff == 0;
}

std::string header_value(const Poco::Net::HTTPServerRequest &request, const std::string &name) {
    return request.get(name, "");
}

void send_json_text(Poco::Net::HTTPServerResponse &response, int status, std::string_view body) {
    response.setStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(status));
    response.setContentType("application/json");
    response.setContentLength64(static_cast<Poco::Int64>(body.size()));
    std::ostream &out = response.send();
    out.write(body.data(), static_cast<std::streamsize>(body.size()));
    out.flush();
}

void send_json(Poco::Net::HTTPServerResponse &response, int status, const json::Value &body) {
    send_json_text(response, status, json::dump(body));
}

void send_venice_error(Poco::Net::HTTPServerResponse &response, int status, std::string_view message) {
    json::Value body = json::Value::object();
    body.set("error", message);
    send_json(response, status, body);
}

}  // namespace vep::sim
