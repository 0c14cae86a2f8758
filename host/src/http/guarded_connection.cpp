// See guarded_connection.hpp.
#include "http/guarded_connection.hpp"

#include <memory>

#include <Poco/Exception.h>
#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/Net/HTTPServerResponseImpl.h>
#include <Poco/Net/HTTPServerSession.h>
#include <Poco/Net/NetException.h>
#include <Poco/Timestamp.h>

#include "errors/proxy_error.hpp"
#include "http/framed_session.hpp"

namespace vep::host {
namespace {

// Answers a request whose head never became a request; the connection closes after it.
void answer_head_error(Poco::Net::HTTPServerSession &session, const ProxyError &error) {
    const std::string body = error.to_json();
    try {
        Poco::Net::HTTPServerResponseImpl response(session);
        response.setVersion(Poco::Net::HTTPMessage::HTTP_1_1);
        response.setStatusAndReason(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(error.status()));
        response.setDate(Poco::Timestamp());
        response.setKeepAlive(false);
        response.setContentType("application/json");
        response.set("X-Venice-Proxy-Error-Code", error.code());
        response.setContentLength(static_cast<std::streamsize>(body.size()));
        response.send() << body;
    } catch (const Poco::Exception &) {
        // the client is gone
    }
}

// 400 for a head that could not be parsed.
void answer_malformed_head(Poco::Net::HTTPServerSession &session, const std::string &why) {
    answer_head_error(session, ProxyError::of("invalid_request", "malformed HTTP request: " + why));
}

// 408 for a head cut off by the request read deadline.
void answer_timed_out(Poco::Net::HTTPServerSession &session) {
    answer_head_error(session,
                      ProxyError::of("request_timeout", "the request did not arrive within server.request_read_timeout"));
}

}  // namespace

GuardedConnection::GuardedConnection(const Poco::Net::StreamSocket &socket, Poco::Net::HTTPServerParams::Ptr params,
                                     RequestRouter &router, ConnectionWatch &watch,
                                     ClientAdmission &admission)
    : Poco::Net::TCPServerConnection(socket), params_(std::move(params)), router_(router), watch_(watch),
      admission_(admission), fd_(socket.impl()->sockfd()), owner_(socket.impl()) {
    try {
        client_ = socket.peerAddress().host();
    } catch (const Poco::Exception &) {
    }
    watch_.enter(fd_, owner_);
}

GuardedConnection::~GuardedConnection() { release(); }

void GuardedConnection::run() {
    FramedSession session(socket(), params_, [this] { release(); });
    const std::chrono::milliseconds keep_alive(params_->getKeepAliveTimeout().totalMilliseconds());
    for (bool first = true;; first = false) {
        // Waiting for the request and reading its head count against the deadline too; the first
        // request's deadline was armed at accept.
        if (!first) {
            watch_.arm(fd_, owner_, ConnectionWatch::Clock::now() + keep_alive + watch_.read_timeout());
            set_working(false);  // idle until the next request's first byte
        }
        if (watch_.stopping() || !session.hasMoreRequests()) break;
        set_working(true);
        try {
            Poco::Net::HTTPServerResponseImpl response(session);
            std::unique_ptr<Poco::Net::HTTPServerRequestImpl> request;
            try {
                request = std::make_unique<Poco::Net::HTTPServerRequestImpl>(response, session, params_);
            } catch (const Poco::Net::NoMessageException &) {
                break;  // the client closed (or its read deadline passed) before a request
            } catch (const Poco::Net::MessageException &e) {
                if (watch_.expired(fd_, owner_)) answer_timed_out(session);
                else answer_malformed_head(session, e.message());
                break;
            } catch (const Poco::SyntaxException &) {
                answer_malformed_head(session, "Content-Length must be a decimal number");
                break;
            }
            response.setDate(Poco::Timestamp());
            response.setVersion(request->getVersion());
            response.setKeepAlive(params_->getKeepAlive() && request->getKeepAlive() && session.canKeepAlive() &&
                                  !watch_.winding_down());
            std::unique_ptr<Poco::Net::HTTPRequestHandler> handler(router_.createRequestHandler(*request));
            if (request->getExpectContinue() && response.getStatus() == Poco::Net::HTTPResponse::HTTP_OK)
                response.sendContinue();
            handler->handleRequest(*request, response);
            if (released_) break;  // the socket left with the relay
            session.setKeepAlive(params_->getKeepAlive() && response.getKeepAlive() && session.canKeepAlive() &&
                                 !watch_.winding_down());
        } catch (const Poco::Exception &) {
            break;  // the connection failed; nothing more can be said on it
        }
    }
}

void GuardedConnection::release() {
    if (released_) return;
    released_ = true;
    watch_.disarm(fd_, owner_);
    set_working(false);
    watch_.leave(fd_, owner_);
    admission_.connection_closed(client_);
}

void GuardedConnection::set_working(bool working) {
    if (working == working_) return;
    working_ = working;
    if (working) watch_.begin_work();
    else watch_.end_work();
}

}  // namespace vep::host
