// HttpBodyDecoder: chunked framing split at every byte, extensions and trailers, Content-Length
// and close-delimited bodies, and the bounded, fail-closed handling of bad framing.
#include <gtest/gtest.h>

#include <functional>
#include <string>

#include "errors/proxy_error.hpp"
#include "upstream/http_body_decoder.hpp"

namespace vep::host {
namespace {

using Framing = HttpBodyDecoder::Framing;

std::string decode_all(HttpBodyDecoder &d, const std::string &raw) {
    std::string body;
    d.feed(raw, body);
    return body;
}

std::string code_of(const std::function<void()> &f) {
    try {
        f();
    } catch (const ProxyError &e) {
        return e.code();
    }
    return "";
}

const std::string kChunked = "6\r\ndata: \r\n1a;ext=1\r\n{\"a\":1}\n\n0123456789abcdefg\r\n0\r\nTrailer: x\r\n\r\n";
const std::string kBody = "data: {\"a\":1}\n\n0123456789abcdefg";

TEST(HttpBodyDecoder, ChunkedWholeWithExtensionAndTrailer) {
    HttpBodyDecoder d(Framing::Chunked);
    EXPECT_EQ(decode_all(d, kChunked), kBody);
    EXPECT_TRUE(d.finished());
}

TEST(HttpBodyDecoder, ChunkedSplitAtEveryPositionGivesTheSameBody) {
    for (size_t cut = 0; cut <= kChunked.size(); ++cut) {
        HttpBodyDecoder d(Framing::Chunked);
        std::string body;
        d.feed(std::string_view(kChunked).substr(0, cut), body);
        EXPECT_FALSE(cut < kChunked.size() && d.finished()) << "cut " << cut;
        d.feed(std::string_view(kChunked).substr(cut), body);
        EXPECT_EQ(body, kBody) << "cut " << cut;
        EXPECT_TRUE(d.finished()) << "cut " << cut;
    }
}

TEST(HttpBodyDecoder, ChunkedOneByteAtATimeAndBareLf) {
    const std::string raw = "3\nabc\n0\n\n";
    HttpBodyDecoder d(Framing::Chunked);
    std::string body;
    for (char c : raw) d.feed(std::string_view(&c, 1), body);
    EXPECT_EQ(body, "abc");
    EXPECT_TRUE(d.finished());
}

TEST(HttpBodyDecoder, BytesAfterTheLastChunkAreIgnored) {
    HttpBodyDecoder d(Framing::Chunked);
    EXPECT_EQ(decode_all(d, "2\r\nok\r\n0\r\n\r\nHTTP/1.1 200 OK\r\n"), "ok");
    EXPECT_TRUE(d.finished());
}

TEST(HttpBodyDecoder, BadFramingIsMalformed) {
    const auto code_for = [](const std::string &raw) {
        return code_of([&] {
            HttpBodyDecoder d(Framing::Chunked);
            decode_all(d, raw);
        });
    };
    EXPECT_EQ(code_for("zz\r\n"), "upstream_malformed_response");
    EXPECT_EQ(code_for("2 x\r\nok\r\n"), "upstream_malformed_response");
    EXPECT_EQ(code_for("2\r\nokEXTRA\r\n"), "upstream_malformed_response");
    EXPECT_EQ(code_for("ffffffffffffffffff\r\n"), "upstream_malformed_response");
}

TEST(HttpBodyDecoder, AFramingLineIsBounded) {
    HttpBodyDecoder d(Framing::Chunked);
    std::string body;
    const std::string long_extension = "1;" + std::string(4096, 'e');
    EXPECT_THROW(d.feed(long_extension, body), ProxyError);
}

TEST(HttpBodyDecoder, ContentLengthAndUntilClose) {
    HttpBodyDecoder length(Framing::Length, 5);
    std::string body;
    length.feed("abc", body);
    EXPECT_FALSE(length.finished());
    length.feed("defgh", body);
    EXPECT_EQ(body, "abcde");
    EXPECT_TRUE(length.finished());

    HttpBodyDecoder empty(Framing::Length, 0);
    EXPECT_TRUE(empty.finished());

    HttpBodyDecoder until_close(Framing::UntilClose);
    body.clear();
    until_close.feed("a\r\n0\r\n\r\n", body);
    EXPECT_EQ(body, "a\r\n0\r\n\r\n");
    EXPECT_FALSE(until_close.finished());
}

}  // namespace
}  // namespace vep::host
