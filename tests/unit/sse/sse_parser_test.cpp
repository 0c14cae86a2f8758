// Upstream SSE parsing with arbitrary network splits.
#include <gtest/gtest.h>

#include <vector>

#include "errors/proxy_error.hpp"
#include "sse/sse_parser.hpp"

namespace vep::host {
namespace {

// Feeds `chunks` one by one, draining after each; returns every event.
std::vector<SseEvent> parse_all(const std::vector<std::string> &chunks, size_t max = SseParser::kDefaultMaxEventBytes) {
    SseParser parser(max);
    std::vector<SseEvent> events;
    for (const auto &chunk : chunks) {
        parser.feed(chunk);
        while (auto event = parser.next()) events.push_back(std::move(*event));
    }
    return events;
}

// Every way of cutting `stream` into pieces of `size` bytes.
std::vector<std::string> split_every(const std::string &stream, size_t size) {
    std::vector<std::string> out;
    for (size_t i = 0; i < stream.size(); i += size) out.push_back(stream.substr(i, size));
    return out;
}

std::string error_code_of(const std::vector<std::string> &chunks, size_t max = SseParser::kDefaultMaxEventBytes) {
    try {
        parse_all(chunks, max);
    } catch (const ProxyError &e) {
        return e.code() + ": " + e.what();
    }
    return "";
}

TEST(SseParser, ParsesDataEventsSeparatedByBlankLines) {
    const auto events = parse_all({"data: {\"a\":1}\n\ndata: [DONE]\n\n"});
    ASSERT_EQ(events.size(), 2u);
    EXPECT_FALSE(events[0].event.has_value());
    EXPECT_EQ(events[0].data, "{\"a\":1}");
    EXPECT_EQ(events[1].data, "[DONE]");
}

TEST(SseParser, AllThreeDelimitersAndLineEndings) {
    const auto events = parse_all({"data: a\r\n\r\ndata: b\n\ndata: c\r\rdata: d\r\nevent: x\r\n\r\n"});
    ASSERT_EQ(events.size(), 4u);
    EXPECT_EQ(events[0].data, "a");
    EXPECT_EQ(events[1].data, "b");
    EXPECT_EQ(events[2].data, "c");
    EXPECT_EQ(events[3].data, "d");
    EXPECT_EQ(events[3].event, std::optional<std::string>("x"));
}

TEST(SseParser, EarliestDelimiterWins) {
    // "\n\n" comes before the CRLF pair, so the first event ends there.
    const auto events = parse_all({"data: a\n\ndata: b\r\n\r\n"});
    ASSERT_EQ(events.size(), 2u);
    EXPECT_EQ(events[1].data, "b");
}

TEST(SseParser, EverySplitOfACrlfStreamGivesTheSameEvents) {
    const std::string stream =
        ": heartbeat\r\n\r\nevent: message\r\ndata: {\"x\":\"\xE2\x82\xAC\xF0\x9F\x98\x80\"}\r\ndata: second line\r\n"
        "id: 7\r\nretry: 100\r\n\r\ndata:no-space\r\n\r\ndata\r\n\r\ndata: [DONE]\r\n\r\n";
    for (size_t size = 1; size <= stream.size(); ++size) {
        const auto events = parse_all(split_every(stream, size));
        ASSERT_EQ(events.size(), 4u) << "split size " << size;
        EXPECT_EQ(events[0].event, std::optional<std::string>("message"));
        EXPECT_EQ(events[0].data, "{\"x\":\"\xE2\x82\xAC\xF0\x9F\x98\x80\"}\nsecond line");
        EXPECT_EQ(events[1].data, "no-space");
        EXPECT_EQ(events[2].data, "");
        EXPECT_EQ(events[3].data, "[DONE]");
    }
}

TEST(SseParser, MultiByteUtf8SplitAcrossChunksIsAccepted) {
    // the reference rejected a chunk ending inside a character.
    const auto events = parse_all({"data: caf\xC3", "\xA9 \xF0\x9F", "\x98", "\x80\n\n"});
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].data, "caf\xC3\xA9 \xF0\x9F\x98\x80");
}

TEST(SseParser, InvalidUtf8InACompleteEventIsMalformed) {
    const std::string error = error_code_of({"data: bad \xC3\x28\n\n"});
    EXPECT_EQ(error.rfind("upstream_malformed_response", 0), 0u) << error;
    EXPECT_NE(error.find("not valid UTF-8"), std::string::npos);
    EXPECT_EQ(error_code_of({"data: truncated \xE2\x82\n\n"}).rfind("upstream_malformed_response", 0), 0u);
}

TEST(SseParser, Utf8IsCheckedAtEveryOffset) {
    // ASCII is skipped eight bytes at a time: a character before, inside or after such a word.
    for (size_t ascii = 0; ascii < 20; ++ascii) {
        const std::string lead = "data: " + std::string(ascii, 'a');
        EXPECT_EQ(parse_all({lead + "\xC3\xA9" + std::string(9, 'b') + "\n\n"}).size(), 1u) << ascii;
        EXPECT_NE(error_code_of({lead + "\xC3\x28" + std::string(9, 'b') + "\n\n"}).find("not valid UTF-8"),
                  std::string::npos)
            << ascii;
        EXPECT_NE(error_code_of({lead + "\xF0\x9F\x98\n\n"}).find("not valid UTF-8"), std::string::npos) << ascii;
    }
}

TEST(SseParser, CommentsAndHeartbeatsAreIgnored) {
    const auto events = parse_all({":keep-alive\n\n: ping\n:\n\n\n\n\n\ndata: x\n\n"});
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].data, "x");
}

TEST(SseParser, CommentLinesInsideAnEventAreSkipped) {
    const auto events = parse_all({"data: a\n: note\ndata: b\n\n"});
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].data, "a\nb");
}

TEST(SseParser, LastEventNameWinsAndOneLeadingSpaceIsStripped) {
    const auto events = parse_all({"event: one\nevent:  two\ndata:   padded\n\n"});
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].event, std::optional<std::string>(" two"));
    EXPECT_EQ(events[0].data, "  padded");
}

TEST(SseParser, UnsupportedFieldIsMalformed) {
    const std::string error = error_code_of({"foo: bar\ndata: x\n\n"});
    EXPECT_NE(error.find("upstream_malformed_response"), std::string::npos);
    EXPECT_NE(error.find("unsupported upstream SSE field \"foo\""), std::string::npos) << error;
}

TEST(SseParser, EventWithoutDataIsMalformed) {
    const std::string error = error_code_of({"event: message\nid: 1\n\n"});
    EXPECT_NE(error.find("upstream SSE event did not contain a data field"), std::string::npos) << error;
}

TEST(SseParser, EventsBeforeAMalformedOneAreStillDelivered) {
    SseParser parser;
    parser.feed("data: first\n\nbogus: 1\n\ndata: third\n\n");
    const auto first = parser.next();
    ASSERT_TRUE(first.has_value());
    EXPECT_EQ(first->data, "first");
    EXPECT_THROW(parser.next(), ProxyError);
}

TEST(SseParser, PartialEventWaitsForMoreBytes) {
    SseParser parser;
    parser.feed("data: par");
    EXPECT_FALSE(parser.next().has_value());
    parser.feed("tial\n");
    EXPECT_FALSE(parser.next().has_value());
    parser.feed("\r");
    EXPECT_FALSE(parser.next().has_value());
    parser.feed("\r");  // "\n\r\r": the "\r\r" pair ends the event
    const auto event = parser.next();
    ASSERT_TRUE(event.has_value());
    EXPECT_EQ(event->data, "partial");
    EXPECT_EQ(parser.buffered_bytes(), 0u);
}

TEST(SseParser, EndOfStreamBeforeDoneIsMalformed) {
    SseParser parser;
    parser.feed("data: x\n\n \r\n");
    ASSERT_TRUE(parser.next().has_value());
    try {
        parser.fail_at_end_of_stream();
    } catch (const ProxyError &e) {
        EXPECT_EQ(e.code(), "upstream_malformed_response");
        EXPECT_NE(std::string(e.what()).find("upstream stream ended before data: [DONE]"), std::string::npos);
    }
}

TEST(SseParser, EndOfStreamWithIncompleteEventIsMalformed) {
    SseParser parser;
    parser.feed("data: [DONE]\n");
    EXPECT_FALSE(parser.next().has_value());
    try {
        parser.fail_at_end_of_stream();
    } catch (const ProxyError &e) {
        EXPECT_EQ(e.code(), "upstream_malformed_response");
        EXPECT_NE(std::string(e.what()).find("upstream stream ended with an incomplete SSE event"), std::string::npos);
    }
}

TEST(SseParser, OversizedCompleteEventIsRejected) {
    const std::string big = "data: " + std::string(100, 'x') + "\n\n";
    EXPECT_EQ(error_code_of({big}, 64).rfind("upstream_malformed_response", 0), 0u);
    EXPECT_NE(error_code_of({big}, 64).find("exceeds the maximum size of 64 bytes"), std::string::npos);
    EXPECT_EQ(error_code_of({big}, 106), "");  // exactly at the bound ("data: " + 100) is fine
}

TEST(SseParser, OversizedPartialEventIsRejectedWithoutWaitingForItsEnd) {
    SseParser parser(32);
    parser.feed("data: " + std::string(20, 'a'));
    EXPECT_FALSE(parser.next().has_value());
    parser.feed(std::string(20, 'a'));
    EXPECT_THROW(parser.next(), ProxyError);
}

TEST(SseParser, ManySmallEventsInOneChunkDoNotTripTheBound) {
    std::string stream;
    for (int i = 0; i < 100; ++i) stream += "data: " + std::to_string(i) + "\n\n";
    EXPECT_EQ(parse_all({stream}, 16).size(), 100u);
}

TEST(SseParser, ParseSseEventDirectly) {
    EXPECT_FALSE(parse_sse_event(": only a comment").has_value());
    EXPECT_FALSE(parse_sse_event("").has_value());
    const auto event = parse_sse_event("data: x\r\r\ndata: y");
    ASSERT_TRUE(event.has_value());
    EXPECT_EQ(event->data, "x\ny");
}

}  // namespace
}  // namespace vep::host
