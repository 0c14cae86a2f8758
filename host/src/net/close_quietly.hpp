// close_quietly(): closes a socket whose peer may be gone already; a failure to close changes
// nothing for the caller, which is done with the connection either way. Used where connections are
// dropped: the worker queue, the connection watch's lingering closes, the upstream pool and the
// relay's client and upstream sockets.
#pragma once

#include <Poco/Exception.h>
#include <Poco/Net/Socket.h>

namespace vep::host {

inline void close_quietly(Poco::Net::Socket &socket) noexcept {
    try {
        socket.close();
    } catch (const Poco::Exception &) {
    }
}

}  // namespace vep::host
