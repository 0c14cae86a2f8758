// D9, prompt and correct error replies to malformed or unroutable requests, each within 1 s (not
// after the 60 s receive timeout): 405 for OPTIONS without a body, TRACE and a lower-case method
// (methods are case-sensitive); 404 for an unknown path; 413 for a declared 3 MiB body that never
// comes (then the connection closes); 400 invalid_request for a non-numeric or overflowing
// Content-Length and for a bad chunk-size line. Each with its standard reason phrase, a JSON error
// body and X-Venice-Proxy-Error-Code.
#include <gtest/gtest.h>

#include "hostile_harness.hpp"

using namespace vep::hostile;
using namespace std::chrono_literals;

namespace {

const std::string kChatHead = "POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n";

std::string json_error_code(const std::string &body) {
    try {
        const auto v = vep::json::parse(body);
        const auto *error = v.find("error");
        const auto *code = error ? error->find("code") : nullptr;
        return code && code->is_string() ? code->as_string() : "";
    } catch (const std::exception &) {
        return "";
    }
}

}  // namespace

TEST(Hostile, D9_ProtocolErrors_PromptRepliesWithRightStatusReasonAndCode) {
    HostileStack stack;
    const struct {
        const char *label;
        std::string request;
        int status;
        const char *reason;
        const char *code;  // "" = any non-empty code
    } cases[] = {
        {"OPTIONS without a body", "OPTIONS /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", 405,
         "Method Not Allowed", "method_not_allowed"},
        {"TRACE", "TRACE /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", 405, "Method Not Allowed",
         "method_not_allowed"},
        {"lower-case method", "get /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", 405, "Method Not Allowed",
         "method_not_allowed"},
        {"unknown path", "GET /nope HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", 404, "Not Found", "not_found"},
        {"declared 3 MiB, nothing sent", kChatHead + "Content-Length: 3145728\r\n\r\n", 413,
         "Request Entity Too Large", "request_too_large"},
        {"non-numeric Content-Length", kChatHead + "Content-Length: abc\r\n\r\n{}", 400, "Bad Request",
         "invalid_request"},
        {"Content-Length beyond 64 bits", kChatHead + "Content-Length: 18446744073709551616\r\n\r\n{}", 400,
         "Bad Request", ""},
        {"bad chunk size", kChatHead + "Transfer-Encoding: chunked\r\n\r\nzz\r\n", 400, "Bad Request",
         "invalid_request"},
    };
    for (const auto &c : cases) {
        SCOPED_TRACE(c.label);
        RawConn conn(stack.port(), 3s);
        ASSERT_TRUE(conn.valid());
        const auto started = Clock::now();
        ASSERT_TRUE(conn.send_all(c.request));
        const auto read = conn.read_until(started + 3s, [](const std::string &b) { return parse_response(b, false).complete; });
        const auto elapsed = Clock::now() - started;
        const auto r = parse_response(read.bytes, read.end != ReadEnd::Timeout);
        EXPECT_LT(elapsed, 1s) << "answered after " << std::chrono::duration_cast<Ms>(elapsed).count() << " ms ("
                               << to_string(read.end) << ")";
        EXPECT_EQ(r.status, c.status) << read.bytes.substr(0, 600);
        EXPECT_EQ(r.reason, c.reason);
        if (*c.code) {
            EXPECT_EQ(r.error_code(), c.code);
        }
        EXPECT_FALSE(r.error_code().empty()) << "no X-Venice-Proxy-Error-Code: " << r.head;
        EXPECT_EQ(json_error_code(r.body), r.error_code()) << "the body must be the JSON error: " << r.body;
        if (c.status == 413) {
            const auto after = conn.read_until(Clock::now() + 1s);
            EXPECT_NE(after.end, ReadEnd::Timeout) << "the connection stayed open after the 413";
        }
    }
}
