// See client_admission.hpp.
#include "http/client_admission.hpp"

#include <sys/socket.h>

#include <Poco/Exception.h>

#include "errors/proxy_error.hpp"

namespace vep::host {
namespace {

std::string key_of(const Poco::Net::IPAddress &address) {
    return std::string(static_cast<const char *>(address.addr()), address.length());
}

}  // namespace

bool ClientAdmission::accept(const Poco::Net::StreamSocket &socket) {
    Poco::Net::IPAddress client;
    try {
        client = socket.peerAddress().host();
    } catch (const Poco::Exception &) {
        return false;  // already gone
    }
    if (doors_closed_.load()) {
        refuse(socket, "server_draining", "the proxy is shutting down");
        return false;
    }
    if (queue_.queued() >= max_queued_) {
        refuse(socket, "server_overloaded", "the proxy is at its connection limit; retry shortly");
        return false;
    }
    std::lock_guard lock(mutex_);
    uint32_t &open = open_[key_of(client)];
    if (per_client_ > 0 && open >= per_client_) {
        refuse(socket, "server_overloaded", "too many connections from this client (server.max_connections_per_client = " +
                           std::to_string(per_client_) + ")");
        return false;
    }
    ++open;
    watch_.begin_work();  // until GuardedConnection has answered its first request
    // The request read deadline runs from now, also while the connection waits in the queue.
    watch_.arm(socket.impl()->sockfd(), socket.impl(), ConnectionWatch::Clock::now() + watch_.read_timeout());
    return true;
}

void ClientAdmission::connection_closed(const Poco::Net::IPAddress &client) {
    std::lock_guard lock(mutex_);
    const auto it = open_.find(key_of(client));
    if (it == open_.end()) return;
    if (--it->second == 0) open_.erase(it);
}

// Writes the 503 without blocking (a fresh socket's send buffer takes it whole), half-closes, and
// lets the watch close the socket shortly after, so the reply is not lost to a reset.
void ClientAdmission::refuse(const Poco::Net::StreamSocket &socket, const std::string &code, const std::string &why) {
    if (tls_) return;  // a plain-text reply means nothing before the handshake; the server closes it
    const ProxyError error = ProxyError::of(code, why);
    const std::string body = error.to_json();
    const std::string reply = "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\n"
                              "X-Venice-Proxy-Error-Code: " +
                              code + "\r\nRetry-After: 1\r\nConnection: close\r\nContent-Length: " +
                              std::to_string(body.size()) + "\r\n\r\n" + body;
    const int fd = socket.impl()->sockfd();
    [[maybe_unused]] const ssize_t sent = ::send(fd, reply.data(), reply.size(), MSG_DONTWAIT | MSG_NOSIGNAL);
    ::shutdown(fd, SHUT_WR);
    watch_.linger_close(socket);
}

}  // namespace vep::host
