// D7, HTTP/1.0 clients. A raw HTTP/1.0 streaming chat gets "HTTP/1.0 200", no Transfer-Encoding
// (1.0 has no chunked coding) and a plain SSE body ending with "data: [DONE]", delimited by the
// connection's close; a non-streaming HTTP/1.0 chat gets a Content-Length body.
#include <gtest/gtest.h>

#include "hostile_harness.hpp"

using namespace vep::hostile;
using namespace std::chrono_literals;

TEST(Hostile, D7_Http10_StreamIsCloseDelimitedPlainSse) {
    HostileStack stack;
    const auto x = exchange(stack.port(),
                            http_request("POST", "/v1/chat/completions",
                                         chat_json(kModel, "sim:scenario=long chunks=5 chunk_bytes=8", true), {},
                                         "HTTP/1.0"),
                            10s);
    const auto &r = x.response;
    EXPECT_EQ(x.raw.rfind("HTTP/1.0 200", 0), 0u) << r.head;
    EXPECT_FALSE(r.has("Transfer-Encoding")) << r.head;
    EXPECT_EQ(x.end, ReadEnd::Eof) << "the body must end with the connection";
    EXPECT_EQ(r.body.rfind("data: ", 0), 0u) << "the body must start with an SSE line: " << r.body.substr(0, 200);
    const auto data = r.sse_data();
    ASSERT_FALSE(data.empty()) << r.body.substr(0, 600);
    EXPECT_EQ(data.back(), "[DONE]");
    for (const auto &d : data)
        if (d != "[DONE]") {
            EXPECT_EQ(d.front(), '{') << "not a JSON event: " << d.substr(0, 100);
        }
}

TEST(Hostile, D7_Http10_BufferedAnswerHasContentLength) {
    HostileStack stack;
    const auto x = exchange(
        stack.port(), http_request("POST", "/v1/chat/completions", chat_json(kModel, "hello", false), {}, "HTTP/1.0"),
        10s);
    const auto &r = x.response;
    EXPECT_EQ(r.status, 200) << x.raw.substr(0, 600);
    EXPECT_FALSE(r.chunked) << r.head;
    ASSERT_TRUE(r.has_content_length) << r.head;
    EXPECT_TRUE(r.complete);
    EXPECT_EQ(std::to_string(r.body.size()), r.header("Content-Length"));
    EXPECT_NE(r.body.find("\"choices\""), std::string::npos) << r.body.substr(0, 600);
}
