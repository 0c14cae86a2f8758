// ChatResponder: the part of a chat request after the chain's request side — the upstream
// attempt(s), decryption, the plain or tool-emulated transformation, streaming or buffered, every
// client-bound event passed through the chain's response side, and the failure semantics: before
// the response starts, errors are JSON errors; after, an OpenAI-style error event ends the stream
// without [DONE]. A client that disconnects aborts the upstream request. Created per request by
// the chat handler.
#pragma once

#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/StreamSocket.h>

#include "chain/chain.hpp"
#include "chain/exchange.hpp"

namespace vep::host {

// How a chat request ended, for the access log.
struct ChatOutcome {
    bool succeeded = false;
    int status = 200;
    std::string code;  // error code when it failed
    bool client_gone = false;
};

ChatOutcome respond_to_chat(Exchange &exchange, ChainRun &chain, Poco::Net::HTTPServerResponse &response,
                            Poco::Net::StreamSocket &client_socket);

}  // namespace vep::host
