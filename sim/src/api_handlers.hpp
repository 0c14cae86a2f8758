// GET /api/v1/models, GET /api/v1/tee/attestation and GET /api/v1/tee/signature (the signed
// record of a completion the simulator answered), with the faults selected through /_sim/config. Called by the router for one request.
#pragma once

#include <memory>

#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

#include "sim_state.hpp"

namespace vep::sim {

void handle_models(SimState &state, Poco::Net::HTTPServerRequest &request, Poco::Net::HTTPServerResponse &response,
                   const std::shared_ptr<RequestRecord> &record);
void handle_attestation(SimState &state, Poco::Net::HTTPServerRequest &request,
                        Poco::Net::HTTPServerResponse &response, const std::shared_ptr<RequestRecord> &record);
void handle_signature(SimState &state, Poco::Net::HTTPServerRequest &request, Poco::Net::HTTPServerResponse &response,
                      const std::shared_ptr<RequestRecord> &record);

}  // namespace vep::sim
