// Small HTTP helpers for the simulator's handlers: bounded body reading, bearer checks, JSON and
// Venice-style error replies ({"error": "<message>"}). Stateless.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

#include "vep/json.hpp"

namespace vep::sim {

// The whole body, or nullopt when it exceeds `max_bytes` (then up to 16 MiB of it are drained).
std::optional<std::string> read_body(Poco::Net::HTTPServerRequest &request, size_t max_bytes);

// True when the Authorization header is exactly "Bearer <api_key>" (constant-time compare).
bool bearer_matches(const Poco::Net::HTTPServerRequest &request, std::string_view api_key);

// First value of a header, empty when absent.
std::string header_value(const Poco::Net::HTTPServerRequest &request, const std::string &name);

void send_json(Poco::Net::HTTPServerResponse &response, int status, const json::Value &body);
void send_json_text(Poco::Net::HTTPServerResponse &response, int status, std::string_view body);
// Venice's error body: {"error": message}.
void send_venice_error(Poco::Net::HTTPServerResponse &response, int status, std::string_view message);

}  // namespace vep::sim
