// ResponseContext: what every responder of one request shares — the exchange, the chain run
// (response side) and the queued client output — and the two operations they all need: passing a
// streaming chunk or a buffered body through the chain's response side to the client. Owned by
// the RelayJob.
#pragma once

#include <string>

#include "chain/chain.hpp"
#include "chain/exchange.hpp"
#include "chat/client_output.hpp"

namespace vep::host {

struct ResponseContext {
    Exchange &exchange;
    ChainRun &chain;
    ClientOutput &client;

    // Starts the SSE response with the exchange's metadata headers.
    void start_stream() { client.start_stream(exchange.response_headers); }
    // Passes a streaming chunk through the chain and queues it; false when the client is gone.
    bool send_chunk(std::string chunk);
    // Passes a buffered body through the chain and queues it (200, metadata headers plus `extra`).
    void send_body(std::string body, const HeaderList &extra);
};

}  // namespace vep::host
