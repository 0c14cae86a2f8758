// POST /api/v1/chat/completions: checks auth, the E2EE headers and body flags like Venice, decrypts
// every message content with the model's key (recording what it saw, never the plaintext unless
// debug_plaintext), resolves the scenario, and streams the answer as SSE with each delta encrypted
// to the client key. Called by the router for one request.
#pragma once

#include <memory>

#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

#include "sim_state.hpp"

namespace vep::sim {

void handle_chat(SimState &state, Poco::Net::HTTPServerRequest &request, Poco::Net::HTTPServerResponse &response,
                 const std::shared_ptr<RequestRecord> &record);

}  // namespace vep::sim
