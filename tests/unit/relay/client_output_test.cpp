// ClientOutput: the exact bytes of a streamed answer (head, one HTTP chunk per event, [DONE],
// terminating chunk), of a whole JSON response and of an error, the bookkeeping of written
// bytes and a departed client, and when the connection may carry another request.
#include <gtest/gtest.h>

#include <string>

#include "relay/client_output.hpp"
#include "errors/proxy_error.hpp"

namespace vep::host {
namespace {

std::string head_of(const std::string &bytes) { return bytes.substr(0, bytes.find("\r\n\r\n") + 4); }
std::string after_head(const std::string &bytes) { return bytes.substr(bytes.find("\r\n\r\n") + 4); }

TEST(ClientOutput, StreamHeadEventsDoneAndTerminator) {
    ClientOutput out;
    out.start_stream({{"X-Venice-Proxy-E2EE", "verified"}});
    EXPECT_TRUE(out.started());
    EXPECT_TRUE(out.event("{\"a\":1}"));
    EXPECT_TRUE(out.done());
    out.end();
    const std::string bytes = out.pending();
    const std::string head = head_of(bytes);
    EXPECT_EQ(head.rfind("HTTP/1.1 200 OK\r\n", 0), 0u) << head;
    EXPECT_NE(head.find("Content-Type: text/event-stream\r\n"), std::string::npos) << head;
    EXPECT_NE(head.find("Cache-Control: no-cache\r\n"), std::string::npos) << head;
    EXPECT_NE(head.find("Transfer-Encoding: chunked\r\n"), std::string::npos) << head;
    EXPECT_NE(head.find("Connection: Close\r\n"), std::string::npos) << head;
    EXPECT_NE(head.find("X-Venice-Proxy-E2EE: verified\r\n"), std::string::npos) << head;
    EXPECT_NE(head.find("Date: "), std::string::npos) << head;
    EXPECT_EQ(after_head(bytes), "f\r\ndata: {\"a\":1}\n\n\r\n" "e\r\ndata: [DONE]\n\n\r\n" "0\r\n\r\n");
}

TEST(ClientOutput, ErrorEventEndsTheStreamWithoutDone) {
    ClientOutput out;
    out.start_stream({});
    out.error_event(ProxyError::of("upstream_stream_error", "boom"));
    out.end();
    const std::string body = after_head(out.pending());
    EXPECT_NE(body.find("data: {\"error\":"), std::string::npos) << body;
    EXPECT_NE(body.find("upstream_stream_error"), std::string::npos) << body;
    EXPECT_EQ(body.find("[DONE]"), std::string::npos) << body;
    EXPECT_EQ(body.substr(body.size() - 5), "0\r\n\r\n");
}

TEST(ClientOutput, WholeResponsesHaveALengthAndNoTerminator) {
    ClientOutput out;
    out.whole(200, {{"X-Venice-Proxy-Tool-Retries", "1"}}, "{\"id\":\"x\"}");
    out.end();
    const std::string head = head_of(out.pending());
    EXPECT_NE(head.find("Content-Length: 10\r\n"), std::string::npos) << head;
    EXPECT_NE(head.find("Content-Type: application/json\r\n"), std::string::npos) << head;
    EXPECT_NE(head.find("X-Venice-Proxy-Tool-Retries: 1\r\n"), std::string::npos) << head;
    EXPECT_EQ(after_head(out.pending()), "{\"id\":\"x\"}");

    ClientOutput error;
    const ProxyError e = ProxyError::of("upstream_status_error", "Venice upstream returned status 500");
    error.set_request_id("req-1");
    error.error_response(e);
    const std::string error_head = head_of(error.pending());
    EXPECT_EQ(error_head.rfind("HTTP/1.1 " + std::to_string(e.status()) + " ", 0), 0u) << error_head;
    EXPECT_NE(error_head.find("X-Venice-Proxy-Error-Code: upstream_status_error\r\n"), std::string::npos);
    EXPECT_NE(error_head.find("X-Request-Id: req-1\r\n"), std::string::npos);
    EXPECT_EQ(after_head(error.pending()), e.to_json());
}

TEST(ClientOutput, ConsumedBytesAreDroppedAndAGoneClientGetsNothing) {
    ClientOutput out;
    out.start_stream({});
    const size_t total = out.unwritten();
    out.consumed(5);
    EXPECT_EQ(out.unwritten(), total - 5);
    EXPECT_EQ(out.write_offset(), 5u);
    out.consumed(total - 5);
    EXPECT_EQ(out.unwritten(), 0u);
    EXPECT_EQ(out.write_offset(), 0u);
    out.mark_gone();
    EXPECT_FALSE(out.event("{}"));
    EXPECT_FALSE(out.done());
    out.error_event(ProxyError::of("internal_error", "x"));
    out.end();
    EXPECT_EQ(out.unwritten(), 0u);
}

TEST(ClientOutput, ReusableOnlyWhenAKeepAliveAnswerIsCompleteAndWritten) {
    ClientOutput stream(ClientOutput::Framing::Http11, true);
    stream.start_stream({});
    EXPECT_NE(stream.pending().find("Connection: Keep-Alive\r\n"), std::string::npos) << stream.pending();
    stream.done();
    EXPECT_FALSE(stream.reusable()) << "the stream has not ended";
    stream.end();
    EXPECT_FALSE(stream.reusable()) << "its bytes are not written";
    stream.consumed(stream.unwritten() - 1);
    EXPECT_FALSE(stream.reusable());
    stream.consumed(1);
    EXPECT_TRUE(stream.reusable());

    ClientOutput whole(ClientOutput::Framing::Http11, true);
    whole.error_response(ProxyError::of("upstream_status_error", "Venice upstream returned status 500"));
    whole.end();
    whole.consumed(whole.unwritten());
    EXPECT_TRUE(whole.reusable());

    ClientOutput gone(ClientOutput::Framing::Http11, true);
    gone.start_stream({});
    gone.end();
    gone.consumed(gone.unwritten());
    gone.mark_gone();
    EXPECT_FALSE(gone.reusable());

    ClientOutput http10(ClientOutput::Framing::Http10, true);
    http10.start_stream({});
    EXPECT_NE(http10.pending().find("Connection: Close\r\n"), std::string::npos) << http10.pending();
    http10.end();
    http10.consumed(http10.unwritten());
    EXPECT_FALSE(http10.reusable()) << "an HTTP/1.0 stream ends with the connection";

    ClientOutput closing;
    closing.start_stream({});
    closing.end();
    closing.consumed(closing.unwritten());
    EXPECT_FALSE(closing.reusable()) << "the head said Connection: Close";
}

}  // namespace
}  // namespace vep::host
