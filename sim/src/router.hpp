// Poco request-handler factory: routes /api/v1/* (recorded in the request log) and /_sim/* to their
// handlers and answers 404 otherwise. One factory per SimServer.
#pragma once

#include <Poco/Net/HTTPRequestHandlerFactory.h>

#include "sim_state.hpp"

namespace vep::sim {

class Router : public Poco::Net::HTTPRequestHandlerFactory {
  public:
    explicit Router(SimState &state) : state_(state) {}
    Poco::Net::HTTPRequestHandler *createRequestHandler(const Poco::Net::HTTPServerRequest &request) override;

  private:
    SimState &state_;
};

}  // namespace vep::sim
