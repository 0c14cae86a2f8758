// How a client connection passes between the HTTP server and the relay. TakenConnection: the
// connection of one chat request as the pipeline takes it from its worker thread for the relay
// (nothing written to it yet). ConnectionReturn: where it goes back to the HTTP server for its
// next request once the answer ended with exact framing and the next request's first bytes have
// arrived (an idle kept-alive connection waits on the relay's event loop, not on a worker
// thread) — implemented by the HTTP server's ConnectionAcceptor, called by RelayJob on its loop.
#pragma once

#include <Poco/Net/StreamSocket.h>

#include "relay/client_output.hpp"

namespace vep::host {

class ConnectionReturn {
  public:
    virtual ~ConnectionReturn() = default;
    // Takes `socket` (blocking, as accepted; the caller keeps no reference) for its next request:
    // from here the server queues it, refuses it (503, as at accept) or closes it.
    virtual void take_back(Poco::Net::StreamSocket socket) = 0;
};

struct TakenConnection {
    Poco::Net::StreamSocket socket;
    ClientOutput::Framing framing = ClientOutput::Framing::Http11;  // from the client's HTTP version
    // Where the connection goes after an answer that ended cleanly, for the client's next
    // request; null when the answer must close it (Connection: close asked, HTTP/1.0, bytes of a
    // pipelined request already read, the server draining).
    ConnectionReturn *keep_alive = nullptr;
};

}  // namespace vep::host
