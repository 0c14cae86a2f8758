// Client-facing chunk and completion JSON: serde's dynamic-object
// layout, i.e. compact with byte-wise sorted keys at every level.
#include <gtest/gtest.h>

#include "openai/chat_response.hpp"

namespace vep::host {
namespace {

const ResponseIdentity kIdentity{"chatcmpl-upstream-test", "chat.completion.chunk", 1717171717, "e2ee-test"};

TEST(ChatResponse, FirstContentChunkCarriesRole) {
    ChunkDelta delta;
    delta.role = true;
    delta.content = "Hello";
    EXPECT_EQ(build_stream_chunk(kIdentity, 0, delta, std::nullopt),
              R"({"choices":[{"delta":{"content":"Hello","role":"assistant"},"finish_reason":null,"index":0}],)"
              R"("created":1717171717,"id":"chatcmpl-upstream-test","model":"e2ee-test","object":"chat.completion.chunk"})");
}

TEST(ChatResponse, ReasoningAndContentDeltaKeysAreSorted) {
    ChunkDelta delta;
    delta.role = true;
    delta.content = "A";
    delta.reasoning_content = "R";
    EXPECT_EQ(build_stream_chunk(kIdentity, 2, delta, std::nullopt),
              R"({"choices":[{"delta":{"content":"A","reasoning_content":"R","role":"assistant"},)"
              R"("finish_reason":null,"index":2}],"created":1717171717,"id":"chatcmpl-upstream-test",)"
              R"("model":"e2ee-test","object":"chat.completion.chunk"})");
}

TEST(ChatResponse, FinishChunkHasEmptyDelta) {
    EXPECT_EQ(build_stream_chunk(kIdentity, 0, ChunkDelta{}, "stop"),
              R"({"choices":[{"delta":{},"finish_reason":"stop","index":0}],"created":1717171717,)"
              R"("id":"chatcmpl-upstream-test","model":"e2ee-test","object":"chat.completion.chunk"})");
}

TEST(ChatResponse, ToolCallDeltaCarriesOneCompleteCall) {
    const OutgoingToolCall call{"call_0123456789abcdef0123456789abcdef", "search_web", R"({"query":"example"})"};
    ChunkDelta delta;
    delta.role = true;
    delta.tool_calls.push_back({1, &call});
    EXPECT_EQ(build_stream_chunk(kIdentity, 0, delta, std::nullopt),
              R"({"choices":[{"delta":{"role":"assistant","tool_calls":[{"function":{"arguments":)"
              R"("{\"query\":\"example\"}","name":"search_web"},"id":"call_0123456789abcdef0123456789abcdef",)"
              R"("index":1,"type":"function"}]},"finish_reason":null,"index":0}],"created":1717171717,)"
              R"("id":"chatcmpl-upstream-test","model":"e2ee-test","object":"chat.completion.chunk"})");
}

TEST(ChatResponse, ChunkTextIsEscapedAndParsesBack) {
    ChunkDelta delta;
    delta.content = "line\n\"quoted\" \xE2\x82\xAC \x01";
    const json::Value chunk = json::parse(build_stream_chunk(kIdentity, 0, delta, std::nullopt));
    EXPECT_EQ(chunk.find("choices")->as_array()[0].find("delta")->find("content")->as_string(), *delta.content);
}

TEST(ChatResponse, UpstreamObjectFieldIsCopied) {
    ResponseIdentity identity = kIdentity;
    identity.object = "custom.object";
    identity.created = -5;
    EXPECT_NE(build_stream_chunk(identity, 0, ChunkDelta{}, "length").find(R"("created":-5,)"), std::string::npos);
    EXPECT_NE(build_stream_chunk(identity, 0, ChunkDelta{}, "length").find(R"("object":"custom.object")"),
              std::string::npos);
}

TEST(ChatResponse, UsageChunkHasEmptyChoicesAndSortedUsage) {
    const json::Value usage = json::parse(R"({"total_tokens":3,"prompt_tokens":1,"completion_tokens":2.0})");
    EXPECT_EQ(build_usage_chunk(kIdentity, usage),
              R"({"choices":[],"created":1717171717,"id":"chatcmpl-upstream-test","model":"e2ee-test",)"
              R"("object":"chat.completion.chunk","usage":{"completion_tokens":2.0,"prompt_tokens":1,"total_tokens":3}})");
}

TEST(ChatResponse, BufferedCompletionWithoutReasoningOrUsage) {
    BufferedCompletion c;
    c.identity = kIdentity;
    c.content = "Hello world";
    EXPECT_EQ(build_completion_body(c),
              R"({"choices":[{"finish_reason":"stop","index":0,"message":{"content":"Hello world","role":"assistant"}}],)"
              R"("created":1717171717,"id":"chatcmpl-upstream-test","model":"e2ee-test","object":"chat.completion",)"
              R"("usage":null})");
}

TEST(ChatResponse, BufferedCompletionWithReasoningAndUsage) {
    const json::Value usage = json::parse(R"({"total_tokens":3,"prompt_tokens":1})");
    BufferedCompletion c;
    c.identity = kIdentity;
    c.choice_index = 1;
    c.content = "";
    c.reasoning_content = "Think first.";
    c.finish_reason = "length";
    c.usage = &usage;
    EXPECT_EQ(build_completion_body(c),
              R"({"choices":[{"finish_reason":"length","index":1,"message":{"content":"","reasoning_content":)"
              R"("Think first.","role":"assistant"}}],"created":1717171717,"id":"chatcmpl-upstream-test",)"
              R"("model":"e2ee-test","object":"chat.completion","usage":{"prompt_tokens":1,"total_tokens":3}})");
}

TEST(ChatResponse, BufferedToolCallCompletion) {
    BufferedCompletion c;
    c.identity = kIdentity;
    c.content = std::nullopt;
    c.finish_reason = "tool_calls";
    c.tool_calls = {{"call_a", "f", "{}"}, {"call_b", "g", R"({"x":1})"}};
    EXPECT_EQ(build_completion_body(c),
              R"({"choices":[{"finish_reason":"tool_calls","index":0,"message":{"content":null,"role":"assistant",)"
              R"("tool_calls":[{"function":{"arguments":"{}","name":"f"},"id":"call_a","type":"function"},)"
              R"({"function":{"arguments":"{\"x\":1}","name":"g"},"id":"call_b","type":"function"}]}}],)"
              R"("created":1717171717,"id":"chatcmpl-upstream-test","model":"e2ee-test","object":"chat.completion",)"
              R"("usage":null})");
}

}  // namespace
}  // namespace vep::host
