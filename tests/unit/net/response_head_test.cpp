// ResponseHead and header_name_equals: the exact head text (status line with reason, fields in
// first-set order, a name set again replaced in place whatever its case, the framing line and
// `Connection: Close` last, or `Connection: Keep-Alive` when asked for a framed HTTP/1.1 body),
// HTTP/1.0 without chunked coding, and the IMF-fixdate Date.
#include <gtest/gtest.h>

#include <regex>
#include <string>

#include "net/http_header.hpp"
#include "net/response_head.hpp"

namespace vep::host {
namespace {

// The head without its Date line, which changes every second.
std::string without_date(const std::string &head) {
    return std::regex_replace(head, std::regex("Date: [^\r]*\r\n"), "");
}

TEST(ResponseHead, FieldsInOrderAndARepeatedNameReplacedInPlace) {
    ResponseHead head(200, false);
    head.set("Content-Type", "text/event-stream");
    head.set("X-Request-Id", "a");
    head.set("x-request-id", "b");
    head.set("Vary", "Origin");
    head.frame(ResponseHead::Framing::Chunked);
    std::string out = "kept:";
    head.append_to(out);
    EXPECT_EQ(without_date(out), "kept:HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nX-Request-Id: b\r\n"
                                 "Vary: Origin\r\nTransfer-Encoding: chunked\r\nConnection: Close\r\n\r\n");
    EXPECT_EQ(out.find("Date: "), std::string("kept:HTTP/1.1 200 OK\r\n").size());
}

TEST(ResponseHead, LengthFramingAndReasonOfAnErrorStatus) {
    ResponseHead head(503, false);
    head.frame(ResponseHead::Framing::Length, 42);
    std::string out;
    head.append_to(out);
    EXPECT_EQ(without_date(out), "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 42\r\nConnection: Close\r\n\r\n");
}

TEST(ResponseHead, Http10HasNoChunkedCoding) {
    ResponseHead head(200, true);
    head.frame(ResponseHead::Framing::Chunked);
    std::string out;
    head.append_to(out);
    EXPECT_EQ(without_date(out), "HTTP/1.0 200 OK\r\nConnection: Close\r\n\r\n");
}

TEST(ResponseHead, KeepAliveOnlyWhereTheBodyIsFramedOnHttp11) {
    for (const auto framing : {ResponseHead::Framing::Chunked, ResponseHead::Framing::Length}) {
        ResponseHead head(200, false);
        head.frame(framing, 2);
        head.keep_alive();
        std::string out;
        head.append_to(out);
        EXPECT_EQ(out.substr(out.size() - 28), "\r\nConnection: Keep-Alive\r\n\r\n") << out;
    }
    ResponseHead until_close(200, false);
    until_close.frame(ResponseHead::Framing::UntilClose);
    until_close.keep_alive();
    ResponseHead http10(200, true);
    http10.frame(ResponseHead::Framing::Length, 2);
    http10.keep_alive();
    for (const ResponseHead *head : {&until_close, &http10}) {
        std::string out;
        head->append_to(out);
        EXPECT_EQ(out.substr(out.size() - 23), "\r\nConnection: Close\r\n\r\n") << out;
    }
}

TEST(ResponseHead, DateIsAnImfFixdate) {
    const std::string date(http_date_now());
    EXPECT_TRUE(std::regex_match(date, std::regex("(Mon|Tue|Wed|Thu|Fri|Sat|Sun), [0-3][0-9] "
                                                  "(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) "
                                                  "20[0-9][0-9] [0-2][0-9]:[0-5][0-9]:[0-6][0-9] GMT")))
        << date;
}

TEST(HeaderName, EqualsIgnoringAsciiCaseOnly) {
    EXPECT_TRUE(header_name_equals("X-Venice-Proxy-Session-Id", "x-venice-proxy-session-id"));
    EXPECT_TRUE(header_name_equals("", ""));
    EXPECT_FALSE(header_name_equals("X-Request-Id", "X-Request-I"));
    EXPECT_FALSE(header_name_equals("X-Request-Id", "X-Request-Ie"));
    // '@' and '`' differ by the case bit but are not letters; neither are '[' and '{'.
    EXPECT_FALSE(header_name_equals("a@", "a`"));
    EXPECT_FALSE(header_name_equals("[", "{"));
}

}  // namespace
}  // namespace vep::host
