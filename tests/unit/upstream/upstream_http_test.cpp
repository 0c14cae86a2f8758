// upstream_http: the request head's exact bytes and Host value; what a response head says about
// framing and keep-alive (RFC 9112 rules: chunked last, a Transfer-Encoding beside a
// Content-Length, HTTP/1.0, bodiless statuses), every malformed head refused; and reading a head
// off a real loopback socket when it arrives a byte at a time, after an interim 100, with body
// bytes behind it, cut short, or oversized.
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include <Poco/Net/NetException.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/StreamSocket.h>

#include "errors/proxy_error.hpp"
#include "upstream/upstream_http.hpp"

namespace vep::host {
namespace {

TEST(UpstreamHttp, RequestHeadHasHostFieldsLengthAndKeepAlive) {
    EXPECT_EQ(request_head("POST", "/api/v1/chat/completions", "api.venice.ai",
                           {{"Authorization", "Bearer k"}, {"Accept", "text/event-stream"}}, 12),
              "POST /api/v1/chat/completions HTTP/1.1\r\nHost: api.venice.ai\r\nAuthorization: Bearer k\r\n"
              "Accept: text/event-stream\r\nContent-Length: 12\r\nConnection: keep-alive\r\n\r\n");
    EXPECT_EQ(request_head("GET", "/m", "h:8080", {}, std::nullopt),
              "GET /m HTTP/1.1\r\nHost: h:8080\r\nConnection: keep-alive\r\n\r\n");
}

TEST(UpstreamHttp, HostValueLeavesOutTheDefaultPortAndBracketsIpv6) {
    EXPECT_EQ(host_header_value("api.venice.ai", 443, true), "api.venice.ai");
    EXPECT_EQ(host_header_value("api.venice.ai", 80, true), "api.venice.ai:80");
    EXPECT_EQ(host_header_value("127.0.0.1", 80, false), "127.0.0.1");
    EXPECT_EQ(host_header_value("127.0.0.1", 41000, false), "127.0.0.1:41000");
    EXPECT_EQ(host_header_value("::1", 8443, true), "[::1]:8443");
}

TEST(UpstreamHttp, FramingAndKeepAliveFollowTheHead) {
    auto head = parse_response_head("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
    EXPECT_EQ(head.status, 200);
    EXPECT_EQ(head.framing, BodyFraming::Chunked);
    EXPECT_TRUE(head.keep_alive);

    head = parse_response_head("HTTP/1.1 201 Created\ncontent-length:  42 \nConnection: Close\n\n");
    EXPECT_EQ(head.framing, BodyFraming::Length);
    EXPECT_EQ(head.content_length, 42u);
    EXPECT_FALSE(head.keep_alive);

    head = parse_response_head("HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\n");
    EXPECT_FALSE(head.keep_alive);
    head = parse_response_head("HTTP/1.0 200 OK\r\nContent-Length: 2\r\nConnection: Keep-Alive\r\n\r\n");
    EXPECT_TRUE(head.keep_alive);

    // No length and no coding: the body ends with the connection, which is not reused.
    head = parse_response_head("HTTP/1.1 200\r\n\r\n");
    EXPECT_EQ(head.framing, BodyFraming::UntilClose);
    EXPECT_FALSE(head.keep_alive);

    // A coding beside a Content-Length: the coding wins, the connection is not reused.
    head = parse_response_head("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nTransfer-Encoding: gzip, chunked\r\n\r\n");
    EXPECT_EQ(head.framing, BodyFraming::Chunked);
    EXPECT_FALSE(head.keep_alive);
    head = parse_response_head("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, gzip\r\n\r\n");
    EXPECT_EQ(head.framing, BodyFraming::UntilClose);
    EXPECT_FALSE(head.keep_alive);

    head = parse_response_head("HTTP/1.1 204 No Content\r\nContent-Length: 9\r\n\r\n");
    EXPECT_EQ(head.framing, BodyFraming::Length);
    EXPECT_EQ(head.content_length, 0u);
    EXPECT_TRUE(head.keep_alive);
}

TEST(UpstreamHttp, MalformedHeadsAreRefused) {
    const std::string many_fields = [] {
        std::string h = "HTTP/1.1 200 OK\r\n";
        for (int i = 0; i < 101; ++i) h += "X-" + std::to_string(i) + ": v\r\n";
        return h + "\r\n";
    }();
    const std::vector<std::string> bad_heads{
        "HTTP/2 200 OK\r\n\r\n",
        "HTTP/1.1 20 OK\r\n\r\n",
        "HTTP/1.1 2x0 OK\r\n\r\n",
        "HTTP/1.1 071 OK\r\n\r\n",
        "HTTP/1.1 200OK\r\n\r\n",
        "ICY 200 OK\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: 1\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
        "HTTP/1.1 200 OK\r\nX-A: 1\r\n folded\r\n\r\n",
        "HTTP/1.1 200 OK\r\n: no name\r\n\r\n",
        "HTTP/1.1 200 OK\r\nno colon\r\n\r\n",
        many_fields};
    for (const std::string &bad : bad_heads) {
        try {
            parse_response_head(bad);
            ADD_FAILURE() << "accepted: " << bad;
        } catch (const ProxyError &e) {
            EXPECT_EQ(e.code(), "upstream_malformed_response") << bad;
        }
    }
}

// A loopback TCP connection: the test writes on `server`, the code under test reads `client`.
struct Loopback {
    Poco::Net::ServerSocket listener{Poco::Net::SocketAddress("127.0.0.1", 0)};
    Poco::Net::StreamSocket client;
    Poco::Net::StreamSocket server;
    Loopback() {
        client.connect(listener.address(), Poco::Timespan(2, 0));
        server = listener.acceptConnection();
        client.setReceiveTimeout(Poco::Timespan(2, 0));
    }
};

TEST(UpstreamHttp, HeadArrivingAByteAtATimeAfterAnInterimAnswer) {
    Loopback link;
    const std::string sent = "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nbody";
    std::thread writer([&] {
        for (const char c : sent) {
            link.server.sendBytes(&c, 1);
            std::this_thread::sleep_for(std::chrono::microseconds(200));
        }
    });
    std::string rest;
    const UpstreamResponseHead head = read_response_head(link.client, rest);
    writer.join();
    EXPECT_EQ(head.status, 200);
    EXPECT_EQ(head.framing, BodyFraming::Length);
    // What arrived after the head is kept for the body reader (the rest may still be on the way).
    EXPECT_EQ(std::string("body").rfind(rest, 0), 0u) << rest;
}

TEST(UpstreamHttp, BodyBytesReadWithTheHeadAreKept) {
    Loopback link;
    const std::string sent = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n";
    link.server.sendBytes(sent.data(), static_cast<int>(sent.size()));
    std::string rest;
    EXPECT_EQ(read_response_head(link.client, rest).framing, BodyFraming::Chunked);
    EXPECT_EQ(rest, "5\r\nhello\r\n");
}

TEST(UpstreamHttp, ConnectionClosedBeforeTheHeadEnded) {
    Loopback link;
    link.server.sendBytes("HTTP/1.1 200 OK\r\n", 17);
    link.server.close();
    std::string rest;
    EXPECT_THROW(read_response_head(link.client, rest), Poco::Net::NoMessageException);
}

TEST(UpstreamHttp, OversizedHeadIsRefused) {
    Loopback link;
    std::thread writer([&] {
        const std::string field = "X-Filler: " + std::string(1000, 'a') + "\r\n";
        std::string sent = "HTTP/1.1 200 OK\r\n";
        while (sent.size() < 70 * 1024) sent += field;
        try {
            link.server.sendBytes(sent.data(), static_cast<int>(sent.size()));
        } catch (const Poco::Exception &) {
        }
    });
    std::string rest;
    try {
        read_response_head(link.client, rest);
        ADD_FAILURE() << "an oversized head was accepted";
    } catch (const ProxyError &e) {
        EXPECT_EQ(e.code(), "upstream_malformed_response");
    }
    link.client.close();
    writer.join();
}

}  // namespace
}  // namespace vep::host
