// See client_stream.hpp.
#include "chat/client_stream.hpp"

#include <Poco/Exception.h>

namespace vep::host {

bool peer_closed(Poco::Net::StreamSocket &socket) {
    try {
        if (!socket.poll(Poco::Timespan(0), Poco::Net::Socket::SELECT_READ | Poco::Net::Socket::SELECT_ERROR)) return false;
        return socket.available() == 0;
    } catch (const Poco::Exception &) {
        return true;
    }
}

void ClientStream::start(const std::vector<std::pair<std::string, std::string>> &headers) {
    response_.setStatus(Poco::Net::HTTPResponse::HTTP_OK);
    response_.setContentType("text/event-stream");
    response_.set("Cache-Control", "no-cache");
    for (const auto &h : headers) response_.set(h.first, h.second);
    response_.setChunkedTransferEncoding(true);
    response_.setKeepAlive(false);
    out_ = &response_.send();
    if (!*out_) gone_ = true;
}

bool ClientStream::flush() {
    out_->flush();
    if (!*out_) gone_ = true;
    return !gone_;
}

bool ClientStream::write_event(const std::string &data) {
    if (gone_) return false;
    *out_ << "data: " << data << "\n\n";
    return flush();
}

bool ClientStream::write_done() {
    if (gone_) return false;
    *out_ << "data: [DONE]\n\n";
    return flush();
}

void ClientStream::write_error(const ProxyError &error) {
    if (gone_) return;
    *out_ << "data: " << error.to_json() << "\n\n";
    flush();
}

bool ClientStream::alive() {
    if (!gone_ && peer_closed(socket_)) gone_ = true;
    return !gone_;
}

}  // namespace vep::host
