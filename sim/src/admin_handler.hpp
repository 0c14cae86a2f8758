// The /_sim/* observability and control endpoints (no auth, loopback clients only): requests,
// reset, config, health. Called by the router.
#pragma once

#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

#include "sim_state.hpp"

namespace vep::sim {

void handle_admin(SimState &state, Poco::Net::HTTPServerRequest &request, Poco::Net::HTTPServerResponse &response);

}  // namespace vep::sim
