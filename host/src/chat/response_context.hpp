// ResponseContext: what the plain and tool responders share for one request — the exchange, the
// chain run (response side), the HTTP response and its ClientStream — and the two operations
// they all need: opening an upstream attempt for a request body, and sending client-bound
// events/bodies through the chain's response side.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include <Poco/Net/HTTPServerResponse.h>

#include "chain/chain.hpp"
#include "chain/exchange.hpp"
#include "chat/client_stream.hpp"
#include "chat/upstream_reader.hpp"

namespace vep::host {

struct ResponseContext {
    Exchange &exchange;
    ChainRun &chain;
    Poco::Net::HTTPServerResponse &response;
    ClientStream &client;

    // POSTs `body` upstream and returns its reader (decrypting with the exchange's client key);
    // while it waits it checks the client is still connected.
    UpstreamReader open_attempt(const std::string &body);
    // Passes a streaming chunk through the chain and writes it; false when the client is gone.
    bool send_chunk(std::string chunk);
    // Passes a buffered body through the chain and sends it with the metadata headers plus `extra`.
    void send_body(std::string body, const std::vector<std::pair<std::string, std::string>> &extra);
};

}  // namespace vep::host
