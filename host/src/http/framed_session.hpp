// FramedSession: Poco's server session of one connection, able to say how many bytes it holds
// unread. Poco's chunked body stream ends quietly at a malformed chunk-size line; the bytes it
// left behind are how read_body() tells such a body from one that ended with its last chunk.
// Created by GuardedConnection for its request loop.
#pragma once

#include <Poco/Net/HTTPServerSession.h>

namespace vep::host {

class FramedSession final : public Poco::Net::HTTPServerSession {
  public:
    using Poco::Net::HTTPServerSession::HTTPServerSession;
    // Bytes read from the socket but not yet consumed.
    int unread() const { return buffered(); }
};

}  // namespace vep::host
