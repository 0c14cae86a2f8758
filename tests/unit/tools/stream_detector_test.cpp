// ToolStreamDetector driven like the chat path drives it; mirrors the reference's route
// tests for tool streams and the fixed required-choice edge (a reference-proxy bug, fixed).
#include <gtest/gtest.h>

#include "errors/proxy_error.hpp"
#include "tool_test_support.hpp"
#include "tools/stream_detector.hpp"

namespace {

using namespace vep::host::tools;
using namespace vep::host::tools::testing;
using vep::host::ProxyError;
using vep::host::ToolsConfig;

const char *kSearchTool =
    R"([{"type":"function","function":{"name":"search_web","parameters":{"type":"object","properties":{"query":{"type":"string"}},"required":["query"],"additionalProperties":false}}}])";

// Everything the client would see: content concatenated, the final calls, a retry if any.
struct Replay {
    std::string content;
    std::vector<ValidatedToolCall> calls;
    std::optional<RetryRequest> retry;
    std::vector<std::string> emitted;  // each non-empty content emission
};

Replay replay(ToolStreamDetector &detector, std::initializer_list<std::string_view> deltas) {
    Replay r;
    auto take = [&](DetectorOutput out) {
        if (!out.content.empty()) {
            r.content += out.content;
            r.emitted.push_back(out.content);
        }
        for (auto &call : out.tool_calls) r.calls.push_back(std::move(call));
        if (out.retry && !r.retry) r.retry = std::move(out.retry);
    };
    for (std::string_view delta : deltas) take(detector.feed(delta));
    take(detector.finish());
    return r;
}

class StreamDetectorTest : public ::testing::Test {
  protected:
    const vep::client::ToolFormatClient &hermes = format("hermes");
    ToolContext auto_ctx = context(kSearchTool);
    ToolContext required_ctx = context(kSearchTool, choice("required"));
};

TEST_F(StreamDetectorTest, PlainTextStreamsAtOnce) {
    ToolStreamDetector detector(hermes, auto_ctx, ToolStreamDetector::Attempt::First);
    EXPECT_EQ(detector.feed("Hello ").content, "Hello ");
    EXPECT_EQ(detector.feed("without tools").content, "without tools");
    const DetectorOutput end = detector.finish();
    EXPECT_TRUE(end.content.empty());
    EXPECT_TRUE(end.tool_calls.empty());
    EXPECT_FALSE(end.retry);
}

TEST_F(StreamDetectorTest, HoldsBackOnlyAPossibleMarkerPrefix) {
    ToolStreamDetector detector(hermes, auto_ctx, ToolStreamDetector::Attempt::First);
    EXPECT_EQ(detector.feed("see <tool").content, "see ");
    EXPECT_EQ(detector.feed("box> here").content, "<toolbox> here");
    EXPECT_EQ(detector.feed("a <").content, "a ");
    EXPECT_EQ(detector.finish().content, "<");
}

TEST_F(StreamDetectorTest, HoldsBackAnUnfinishedUtf8Sequence) {
    ToolStreamDetector detector(hermes, auto_ctx, ToolStreamDetector::Attempt::First);
    EXPECT_EQ(detector.feed("caf\xC3").content, "caf");
    EXPECT_EQ(detector.feed("\xA9 \xE2\x82").content, "\xC3\xA9 ");
    EXPECT_EQ(detector.feed("\xAC").content, "\xE2\x82\xAC");
}

TEST_F(StreamDetectorTest, MarkerLikeTextIsNormalText) {
    ToolStreamDetector detector(hermes, auto_ctx, ToolStreamDetector::Attempt::First);
    const Replay r = replay(detector, {"<tool_cal>{not actually a marker}"});
    EXPECT_EQ(r.content, "<tool_cal>{not actually a marker}");
    EXPECT_TRUE(r.calls.empty());
    EXPECT_FALSE(r.retry);
}

TEST_F(StreamDetectorTest, TextThenToolCall) {
    ToolStreamDetector detector(hermes, auto_ctx, ToolStreamDetector::Attempt::First);
    const Replay r = replay(detector, {"", "I'll check that. ",
                                       "<tool_call>{\"name\":\"search_web\",\"arguments\":{\"query\":\"example\"}}",
                                       "</tool_call>"});
    EXPECT_EQ(r.content, "I'll check that. ");
    ASSERT_EQ(r.calls.size(), 1u);
    EXPECT_EQ(r.calls[0].name, "search_web");
    EXPECT_EQ(r.calls[0].arguments, R"({"query":"example"})");
    EXPECT_FALSE(r.retry);
}

TEST_F(StreamDetectorTest, MultipleCallsSplitAcrossChunks) {
    ToolStreamDetector detector(hermes, auto_ctx, ToolStreamDetector::Attempt::First);
    const Replay r = replay(detector, {"<tool_call>{\"name\":\"search_web\",\"arguments\":{\"query\":\"first\"}}",
                                       "</tool_call><tool_call>{\"name\":\"search_web\",\"arguments\":",
                                       "{\"query\":\"second\"}}</tool_call>"});
    EXPECT_TRUE(r.content.empty());
    ASSERT_EQ(r.calls.size(), 2u);
    EXPECT_EQ(r.calls[0].arguments, R"({"query":"first"})");
    EXPECT_EQ(r.calls[1].arguments, R"({"query":"second"})");
    EXPECT_NE(r.calls[0].id, r.calls[1].id);
}

TEST_F(StreamDetectorTest, TruncatedClosingMarkerIsRecovered) {
    ToolStreamDetector detector(hermes, auto_ctx, ToolStreamDetector::Attempt::First);
    const Replay r = replay(detector, {"<tool_call>\n{\"name\":\"search_web\",\"arguments\":{\"query\":\"example\"}}\n"});
    ASSERT_EQ(r.calls.size(), 1u);
}

TEST_F(StreamDetectorTest, UnterminatedCallAsksForARetryWithOnePrefix) {
    ToolStreamDetector detector(hermes, auto_ctx, ToolStreamDetector::Attempt::First);
    const Replay r = replay(detector, {"I'll check that. ", "<tool_call>{\"name\":"});
    EXPECT_EQ(r.content, "I'll check that. ");
    ASSERT_TRUE(r.retry);
    EXPECT_EQ(r.retry->error.rfind("tool call parsing failed: incomplete Hermes tool call", 0), 0u);
    EXPECT_EQ(r.retry->error.find("tool call parsing failed: tool call parsing failed"), std::string::npos);
    EXPECT_EQ(r.retry->invalid_output, "<tool_call>{\"name\":");
}

TEST_F(StreamDetectorTest, ValidationErrorsGetTheStreamingPrefix) {
    ToolStreamDetector detector(hermes, auto_ctx, ToolStreamDetector::Attempt::First);
    const Replay r = replay(detector, {"<tool_call>{\"name\":\"x\",\"arguments\":{}}</tool_call>"});
    ASSERT_TRUE(r.retry);
    EXPECT_EQ(r.retry->error, R"(tool call parsing failed: unknown tool name "x")");
}

TEST_F(StreamDetectorTest, OversizedToolBufferFailsTheStream) {
    ToolsConfig config;
    config.tool_call_max_bytes = 16;
    const ToolContext small = context(kSearchTool, choice("auto"), config);
    ToolStreamDetector detector(hermes, small, ToolStreamDetector::Attempt::First);
    EXPECT_EQ(detector.feed("ok ").content, "ok ");
    EXPECT_EQ(detector.feed("<tool_call>{").content, "");
    try {
        detector.feed("\"name\":\"search_web\"}");
        FAIL() << "expected the buffer bound to fail the stream";
    } catch (const ProxyError &e) {
        EXPECT_EQ(e.code(), "upstream_malformed_response");
        EXPECT_STREQ(e.what(), "tool call output exceeded max size of 16 bytes");
    }
}

TEST_F(StreamDetectorTest, RequiredChoiceHoldsTextAndRetriesWithoutACall) {
    ToolStreamDetector detector(hermes, required_ctx, ToolStreamDetector::Attempt::First);
    EXPECT_EQ(detector.feed("Sure, the answer is ").content, "");
    EXPECT_EQ(detector.feed("42.").content, "");
    const DetectorOutput end = detector.finish();
    ASSERT_TRUE(end.retry);
    EXPECT_EQ(end.retry->error, "expected the assistant response to include a tool call");
    EXPECT_EQ(end.retry->invalid_output, "Sure, the answer is 42.");
    EXPECT_TRUE(end.content.empty());
}

TEST_F(StreamDetectorTest, RequiredChoiceReleasesTextBeforeTheMarker) {
    ToolStreamDetector detector(hermes, required_ctx, ToolStreamDetector::Attempt::First);
    const Replay r =
        replay(detector, {"Checking. <tool_", "call>{\"name\":\"search_web\",\"arguments\":{\"query\":\"a\"}}</tool_call>"});
    EXPECT_EQ(r.emitted, std::vector<std::string>{"Checking. "});
    EXPECT_EQ(r.calls.size(), 1u);
}

TEST_F(StreamDetectorTest, RequiredChoiceBoundsHeldText) {
    ToolsConfig config;
    config.tool_call_max_bytes = 8;
    const ToolContext small = context(kSearchTool, choice("required"), config);
    ToolStreamDetector detector(hermes, small, ToolStreamDetector::Attempt::First);
    EXPECT_FALSE(detector.feed("12345678").retry);
    const DetectorOutput over = detector.feed("9");
    ASSERT_TRUE(over.retry);
    EXPECT_EQ(over.retry->error,
              "assistant response exceeded the tool call max size of 8 bytes before emitting a tool call");
    EXPECT_EQ(over.retry->invalid_output, "123456789");
    EXPECT_FALSE(detector.feed("more").retry);
    EXPECT_FALSE(detector.finish().retry);
}

TEST_F(StreamDetectorTest, RetryAttemptSuppressesTextBeforeTheMarker) {
    ToolStreamDetector detector(hermes, auto_ctx, ToolStreamDetector::Attempt::Retry);
    const Replay r = replay(detector, {"Sorry about that. ",
                                       "<tool_call>{\"name\":\"search_web\",\"arguments\":{\"query\":\"a\"}}</tool_call>"});
    EXPECT_TRUE(r.emitted.empty());
    EXPECT_EQ(r.calls.size(), 1u);
}

TEST_F(StreamDetectorTest, RetryAttemptWithoutACallAsksForAnotherRetry) {
    ToolStreamDetector detector(hermes, auto_ctx, ToolStreamDetector::Attempt::Retry);
    const Replay r = replay(detector, {"still no call"});
    EXPECT_TRUE(r.emitted.empty());
    ASSERT_TRUE(r.retry);
    EXPECT_EQ(r.retry->error, "expected corrected streamed response to include a tool call");
    EXPECT_EQ(r.retry->invalid_output, "still no call");
}

TEST_F(StreamDetectorTest, RetryAttemptBoundsHeldText) {
    ToolsConfig config;
    config.tool_call_max_bytes = 4;
    const ToolContext small = context(kSearchTool, choice("auto"), config);
    ToolStreamDetector detector(hermes, small, ToolStreamDetector::Attempt::Retry);
    const DetectorOutput over = detector.feed("abcde");
    ASSERT_TRUE(over.retry);
    EXPECT_EQ(over.retry->error,
              "corrected streamed response exceeded the tool call max size of 4 bytes before emitting a tool call");
}

TEST_F(StreamDetectorTest, SpentAfterFinish) {
    ToolStreamDetector detector(hermes, auto_ctx, ToolStreamDetector::Attempt::First);
    EXPECT_EQ(detector.feed("done").content, "done");
    detector.finish();
    EXPECT_TRUE(detector.feed("<tool_call>late").content.empty());
    const DetectorOutput again = detector.finish();
    EXPECT_TRUE(again.content.empty());
    EXPECT_TRUE(again.tool_calls.empty());
    EXPECT_FALSE(again.retry);
}

TEST_F(StreamDetectorTest, GlmFormatStreamsToo) {
    ToolStreamDetector detector(format("glm-xml"), auto_ctx, ToolStreamDetector::Attempt::First);
    const Replay r = replay(detector, {"<tool_call>search_web\n<arg_key>qu", "ery</arg_key>\n<arg_value>x</arg_value>\n",
                                       "</tool_call>"});
    ASSERT_EQ(r.calls.size(), 1u);
    EXPECT_EQ(r.calls[0].arguments, R"({"query":"x"})");
}

}  // namespace
