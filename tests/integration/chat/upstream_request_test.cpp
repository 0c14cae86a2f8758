// VeniceClient's chat request as Venice receives it: the head and body it holds back and sends at
// once (one send; not observable from the receiving side, where the kernel may coalesce two small
// sends) arrive whole — request line, E2EE headers, exact body — at a raw TCP listener on
// 127.0.0.1 standing in for Venice.
#include <gtest/gtest.h>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>
#include <thread>

#include "config/config.hpp"
#include "upstream/venice_client.hpp"

namespace {

// One connection: reads the request (head + Content-Length body, bounded), answers an empty SSE
// stream.
class OneRequestListener {
  public:
    OneRequestListener() {
        fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t length = sizeof address;
        if (::bind(fd_, reinterpret_cast<sockaddr *>(&address), sizeof address) != 0 || ::listen(fd_, 1) != 0 ||
            ::getsockname(fd_, reinterpret_cast<sockaddr *>(&address), &length) != 0)
            throw std::runtime_error("listener setup failed");
        port_ = ntohs(address.sin_port);
        thread_ = std::thread([this] { serve(); });
    }
    ~OneRequestListener() {
        ::shutdown(fd_, SHUT_RDWR);
        if (thread_.joinable()) thread_.join();
        ::close(fd_);
    }
    uint16_t port() const { return port_; }
    // Valid after the client got its answer.
    const std::string &request() const { return request_; }

  private:
    void serve() {
        const int client = ::accept(fd_, nullptr, nullptr);
        if (client < 0) return;
        timeval limit{10, 0};
        ::setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit);
        char buffer[65536];
        while (request_.size() < (1u << 20) && !complete()) {
            const ssize_t n = ::recv(client, buffer, sizeof buffer, 0);
            if (n <= 0) break;
            request_.append(buffer, static_cast<size_t>(n));
        }
        const std::string answer = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"
                                   "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n";
        ::send(client, answer.data(), answer.size(), MSG_NOSIGNAL);
        ::close(client);
    }
    bool complete() const {
        const size_t head_end = request_.find("\r\n\r\n");
        if (head_end == std::string::npos) return false;
        const size_t at = request_.find("Content-Length: ");
        if (at == std::string::npos || at > head_end) return true;
        return request_.size() >= head_end + 4 + std::stoul(request_.substr(at + 16));
    }

    int fd_ = -1;
    uint16_t port_ = 0;
    std::thread thread_;
    std::string request_;
};

TEST(UpstreamRequest, HeadAndBodyArriveWhole) {
    OneRequestListener venice;
    vep::host::VeniceConfig config;
    config.base_url = "http://127.0.0.1:" + std::to_string(venice.port()) + "/api/v1";
    config.api_key = vep::host::Secret("sim-key");
    const vep::host::VeniceClient client(config);
    const std::string body = R"({"model":"m","stream":true,"messages":[{"role":"user","content":")" +
                             std::string(2000, 'x') + R"("}]})";
    const vep::host::UpstreamAttempt attempt = client.open_chat(body, std::string(130, 'a'), std::string(130, 'b'));
    EXPECT_EQ(attempt.framing, vep::host::BodyFraming::Chunked);
    ASSERT_GE(venice.request().size(), body.size());
    EXPECT_EQ(venice.request().substr(venice.request().size() - body.size()), body);
    const std::string &seen = venice.request();
    EXPECT_EQ(seen.rfind("POST /api/v1/chat/completions HTTP/1.1\r\n", 0), 0u) << seen.substr(0, 200);
    EXPECT_NE(seen.find("X-Venice-TEE-Client-Pub-Key: " + std::string(130, 'a') + "\r\n"), std::string::npos);
    EXPECT_NE(seen.find("X-Venice-TEE-Model-Pub-Key: " + std::string(130, 'b') + "\r\n"), std::string::npos);
    EXPECT_NE(seen.find("Content-Length: " + std::to_string(body.size()) + "\r\n"), std::string::npos);
    EXPECT_EQ(seen.find("\r\n\r\n") + 4 + body.size(), seen.size());
}

}  // namespace
