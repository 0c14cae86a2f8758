// VeniceClient against a scripted raw TCP listener on 127.0.0.1 standing in for Venice. The chat
// request arrives whole — request line, E2EE headers, exact body — in the one send that carries
// head and body. The GET requests (models, attestation, signature): a chunked body arriving in
// pieces is decoded and its connection reused by the next request; a body that ends with the
// connection is read whole and the connection not reused; an error status reads its chunked error
// body into the error message; a malformed head and a body above 16 MiB are
// upstream_malformed_response.
#include <gtest/gtest.h>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "config/config.hpp"
#include "errors/proxy_error.hpp"
#include "upstream/venice_client.hpp"

namespace {

// One scripted answer: its bytes, sent in `pieces` parts, and whether the connection closes
// after it.
struct Answer {
    std::string bytes;
    int pieces = 1;
    bool close = false;
};

// Serves the answers in order, one per request (its head and its Content-Length body), on as
// many connections as the client opens, and keeps every request it read.
class ScriptedVenice {
  public:
    explicit ScriptedVenice(std::vector<Answer> answers) : answers_(std::move(answers)) {
        fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t length = sizeof address;
        if (::bind(fd_, reinterpret_cast<sockaddr *>(&address), sizeof address) != 0 || ::listen(fd_, 4) != 0 ||
            ::getsockname(fd_, reinterpret_cast<sockaddr *>(&address), &length) != 0)
            throw std::runtime_error("listener setup failed");
        port_ = ntohs(address.sin_port);
        thread_ = std::thread([this] { serve(); });
    }
    ~ScriptedVenice() {
        ::shutdown(fd_, SHUT_RDWR);
        if (thread_.joinable()) thread_.join();
        ::close(fd_);
    }
    std::string base_url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/api/v1"; }
    int connections() const { return connections_.load(); }
    std::vector<std::string> requests() const {
        std::lock_guard lock(mutex_);
        return requests_;
    }

  private:
    void serve() {
        size_t next = 0;
        while (next < answers_.size()) {
            const int client = ::accept(fd_, nullptr, nullptr);
            if (client < 0) return;
            ++connections_;
            timeval limit{10, 0};
            ::setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit);
            std::string pending;
            char buffer[4096];
            while (next < answers_.size()) {
                while (request_length(pending) == std::string::npos) {
                    const ssize_t n = ::recv(client, buffer, sizeof buffer, 0);
                    if (n <= 0) break;
                    pending.append(buffer, static_cast<size_t>(n));
                }
                const size_t length = request_length(pending);
                if (length == std::string::npos) break;
                {
                    std::lock_guard lock(mutex_);
                    requests_.push_back(pending.substr(0, length));
                }
                pending.erase(0, length);
                const Answer &answer = answers_[next++];
                const size_t step = answer.bytes.size() / static_cast<size_t>(answer.pieces) + 1;
                for (size_t at = 0; at < answer.bytes.size(); at += step) {
                    ::send(client, answer.bytes.data() + at, std::min(step, answer.bytes.size() - at), MSG_NOSIGNAL);
                    std::this_thread::sleep_for(std::chrono::milliseconds(2));
                }
                if (answer.close) break;
            }
            ::close(client);
        }
    }

    // The length of the complete request at the start of `bytes`, or npos.
    static size_t request_length(const std::string &bytes) {
        const size_t head_end = bytes.find("\r\n\r\n");
        if (head_end == std::string::npos) return std::string::npos;
        const size_t at = bytes.find("Content-Length: ");
        const size_t body = at == std::string::npos || at > head_end ? 0 : std::stoul(bytes.substr(at + 16));
        return bytes.size() >= head_end + 4 + body ? head_end + 4 + body : std::string::npos;
    }

    std::vector<Answer> answers_;
    mutable std::mutex mutex_;
    std::vector<std::string> requests_;
    int fd_ = -1;
    uint16_t port_ = 0;
    std::atomic<int> connections_{0};
    std::thread thread_;
};

vep::host::VeniceConfig config_for(const ScriptedVenice &venice) {
    vep::host::VeniceConfig config;
    config.base_url = venice.base_url();
    config.api_key = vep::host::Secret("sim-key");
    config.request_timeout = std::chrono::milliseconds(5000);
    return config;
}

const std::string kModels = R"({"object":"list","data":[]})";

TEST(UpstreamClient, ChatRequestHeadAndBodyArriveWhole) {
    ScriptedVenice venice({{"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"
                            "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
                            1, true}});
    const vep::host::VeniceClient client(config_for(venice));
    const std::string body = R"({"model":"m","stream":true,"messages":[{"role":"user","content":")" +
                             std::string(2000, 'x') + R"("}]})";
    const vep::host::UpstreamAttempt attempt = client.open_chat(body, std::string(130, 'a'), std::string(130, 'b'));
    EXPECT_EQ(attempt.framing, vep::host::BodyFraming::Chunked);
    const auto requests = venice.requests();
    ASSERT_EQ(requests.size(), 1u);
    const std::string &seen = requests.front();
    EXPECT_EQ(seen.rfind("POST /api/v1/chat/completions HTTP/1.1\r\n", 0), 0u) << seen.substr(0, 200);
    EXPECT_NE(seen.find("\r\nHost: 127.0.0.1:"), std::string::npos);
    EXPECT_NE(seen.find("\r\nAuthorization: Bearer sim-key\r\n"), std::string::npos);
    EXPECT_NE(seen.find("X-Venice-TEE-Client-Pub-Key: " + std::string(130, 'a') + "\r\n"), std::string::npos);
    EXPECT_NE(seen.find("X-Venice-TEE-Model-Pub-Key: " + std::string(130, 'b') + "\r\n"), std::string::npos);
    EXPECT_NE(seen.find("Content-Length: " + std::to_string(body.size()) + "\r\n"), std::string::npos);
    EXPECT_EQ(seen.find("\r\n\r\n") + 4 + body.size(), seen.size());
    EXPECT_EQ(seen.substr(seen.size() - body.size()), body);
}

std::string chunked(const std::string &body) {
    char size[16];
    std::snprintf(size, sizeof size, "%zx", body.size() - 5);
    return std::string(size) + "\r\n" + body.substr(0, body.size() - 5) + "\r\n5;ext=1\r\n" +
           body.substr(body.size() - 5) + "\r\n0\r\n\r\n";
}

TEST(UpstreamClient, ChunkedBodyInPiecesAndTheConnectionReused) {
    const std::string length = std::to_string(kModels.size());
    ScriptedVenice venice({{"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + chunked(kModels), 7},
                           {"HTTP/1.1 200 OK\r\nContent-Length: " + length + "\r\n\r\n" + kModels}});
    const vep::host::VeniceClient client(config_for(venice));
    EXPECT_EQ(client.get_models(), kModels);
    EXPECT_EQ(client.get_models(), kModels);
    EXPECT_EQ(venice.connections(), 1);
}

TEST(UpstreamClient, BodyEndingWithTheConnectionIsReadWholeAndNotReused) {
    ScriptedVenice venice({{"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n" + kModels, 3, true},
                           {"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}"}});
    const vep::host::VeniceClient client(config_for(venice));
    EXPECT_EQ(client.get_models(), kModels);
    EXPECT_EQ(client.get_models(), "{}");
    EXPECT_EQ(venice.connections(), 2);
}

// The ProxyError that `call` throws, or nullopt when it returns.
template <typename Call>
std::optional<vep::host::ProxyError> refusal(Call call) {
    try {
        call();
    } catch (const vep::host::ProxyError &e) {
        return e;
    }
    return std::nullopt;
}

TEST(UpstreamClient, ErrorStatusCarriesTheChunkedErrorMessage) {
    const std::string error_body = R"({"error":"Specified model not found"})";
    ScriptedVenice venice({{"HTTP/1.1 404 Not Found\r\nTransfer-Encoding: chunked\r\n\r\n" + chunked(error_body), 3}});
    const vep::host::VeniceClient client(config_for(venice));
    const auto error = refusal([&] { client.get_attestation("e2ee-missing", std::string(64, '0')); });
    ASSERT_TRUE(error.has_value()) << "a 404 was accepted";
    EXPECT_EQ(error->code(), "upstream_status_error");
    EXPECT_NE(std::string(error->what()).find("status 404 (Specified model not found)"), std::string::npos)
        << error->what();
}

TEST(UpstreamClient, MalformedHeadIsRefused) {
    ScriptedVenice venice({{"HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n{}", 1, true}});
    const vep::host::VeniceClient client(config_for(venice));
    const auto error = refusal([&] { client.get_models(); });
    ASSERT_TRUE(error.has_value()) << "a malformed head was accepted";
    EXPECT_EQ(error->code(), "upstream_malformed_response");
}

TEST(UpstreamClient, BodyAbove16MiBIsRefused) {
    const std::string body(17u << 20, 'x');
    ScriptedVenice venice({{"HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body, 1,
                            true}});
    const vep::host::VeniceClient client(config_for(venice));
    const auto error = refusal([&] { client.get_models(); });
    ASSERT_TRUE(error.has_value()) << "a 17 MiB body was accepted";
    EXPECT_EQ(error->code(), "upstream_malformed_response");
    EXPECT_NE(std::string(error->what()).find("larger than 16 MiB"), std::string::npos) << error->what();
}

}  // namespace
