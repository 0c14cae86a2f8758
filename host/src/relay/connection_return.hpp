// ConnectionReturn: where a relayed answer's client connection goes back to the HTTP server for
// its next request — once the answer ended with exact framing and the next request's first bytes
// have arrived (an idle kept-alive connection waits on the relay's event loop, not on a worker
// thread). Implemented by the HTTP server's ConnectionAcceptor; called by RelayJob on its loop.
#pragma once

#include <Poco/Net/StreamSocket.h>

namespace vep::host {

class ConnectionReturn {
  public:
    virtual ~ConnectionReturn() = default;
    // Takes `socket` (blocking, as accepted; the caller keeps no reference) for its next request:
    // from here the server queues it, refuses it (503, as at accept) or closes it.
    virtual void take_back(Poco::Net::StreamSocket socket) = 0;
};

}  // namespace vep::host
