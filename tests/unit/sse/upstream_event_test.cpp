// Upstream event classification.
#include <gtest/gtest.h>

#include "sse/upstream_event.hpp"

namespace vep::host {
namespace {

UpstreamEvent classify(std::string data, std::optional<std::string> name = std::nullopt) {
    return classify_upstream_event(SseEvent{std::move(name), std::move(data)});
}

std::string malformed_message(std::string data) {
    try {
        classify(std::move(data));
    } catch (const ProxyError &e) {
        EXPECT_EQ(e.code(), "upstream_malformed_response");
        EXPECT_EQ(e.status(), 502);
        return e.what();
    }
    ADD_FAILURE() << "classified without error";
    return "";
}

TEST(UpstreamEvent, ErrorEventCarriesItsData) {
    const auto event = classify("model overloaded", "error");
    ASSERT_TRUE(std::holds_alternative<upstream_event::Error>(event));
    const ProxyError error = stream_error(std::get<upstream_event::Error>(event));
    EXPECT_EQ(error.code(), "upstream_stream_error");
    EXPECT_EQ(error.type(), "proxy_upstream_error");
    EXPECT_STREQ(error.what(), "Venice upstream stream emitted an error event: model overloaded");
}

TEST(UpstreamEvent, ErrorEventWinsOverDone) {
    EXPECT_TRUE(std::holds_alternative<upstream_event::Error>(classify("[DONE]", "error")));
}

TEST(UpstreamEvent, DoneIsTrimmed) {
    EXPECT_TRUE(std::holds_alternative<upstream_event::Done>(classify("[DONE]")));
    EXPECT_TRUE(std::holds_alternative<upstream_event::Done>(classify("  [DONE]\n")));
    EXPECT_TRUE(std::holds_alternative<upstream_event::Done>(classify("[DONE]", "message")));
}

TEST(UpstreamEvent, JsonErrorObjectIsAnUpstreamError) {
    const auto event = classify(R"({"error":{"message":"bad","code":500},"choices":[]})");
    ASSERT_TRUE(std::holds_alternative<upstream_event::Error>(event));
    EXPECT_EQ(std::get<upstream_event::Error>(event).message, R"({"code":500,"message":"bad"})");
}

TEST(UpstreamEvent, MalformedCases) {
    EXPECT_NE(malformed_message("{not json").find("upstream SSE data is not valid JSON"), std::string::npos);
    EXPECT_NE(malformed_message(R"({"id":"x"})").find("upstream chat chunk is missing choices array"),
              std::string::npos);
    EXPECT_NE(malformed_message(R"({"choices":{}})").find("missing choices array"), std::string::npos);
    EXPECT_NE(malformed_message("[1,2]").find("missing choices array"), std::string::npos);
    EXPECT_NE(malformed_message(R"({"choices":[]})").find("upstream chunk has no choices and no usage"),
              std::string::npos);
    EXPECT_NE(malformed_message(R"({"choices":[{},{}]})").find("expected exactly one upstream choice, got 2"),
              std::string::npos);
    EXPECT_NE(malformed_message(R"({"choices":["x"]})").find("upstream choice must be a JSON object"),
              std::string::npos);
    for (const char *index : {"-1", "1.0", "\"0\"", "null", "18446744073709551616"})
        EXPECT_NE(malformed_message(std::string(R"({"choices":[{"index":)") + index + "}]}")
                      .find("upstream choice index must be a non-negative integer"),
                  std::string::npos)
            << index;
    EXPECT_NE(malformed_message(R"({"choices":[{"finish_reason":1}]})")
                  .find("upstream finish_reason must be a string or null"),
              std::string::npos);
    EXPECT_NE(malformed_message(R"({"choices":[{"delta":{"content":1}}]})")
                  .find("upstream delta.content must be a string or null"),
              std::string::npos);
    EXPECT_NE(malformed_message(R"({"choices":[{"delta":{"reasoning_content":[]}}]})")
                  .find("upstream delta.reasoning_content must be a string or null"),
              std::string::npos);
    EXPECT_EQ(malformed_message("{").rfind("Venice upstream stream event is malformed: ", 0), 0u);
}

TEST(UpstreamEvent, UsageOnlyChunk) {
    const auto event = classify(
        R"({"id":"chatcmpl-1","object":"chat.completion.chunk","created":1717171717,"model":"e2ee-test",)"
        R"("choices":[],"usage":{"prompt_tokens":1,"completion_tokens":2,"total_tokens":3}})");
    ASSERT_TRUE(std::holds_alternative<upstream_event::UsageOnly>(event));
    const auto &usage = std::get<upstream_event::UsageOnly>(event);
    EXPECT_EQ(json::dump(usage.usage), R"({"prompt_tokens":1,"completion_tokens":2,"total_tokens":3})");
    EXPECT_EQ(usage.identity.id, std::optional<std::string>("chatcmpl-1"));
    EXPECT_EQ(usage.identity.created, std::optional<int64_t>(1717171717));
    EXPECT_TRUE(std::holds_alternative<upstream_event::UsageOnly>(classify(R"({"choices":[],"usage":null})")));
}

TEST(UpstreamEvent, ChoiceChunkWithEncryptedFields) {
    const auto event = classify(
        R"({"id":"chatcmpl-upstream-test","object":"chat.completion.chunk","created":1717171717,"model":"e2ee-test",)"
        R"("choices":[{"index":0,"delta":{"role":"assistant","content":"04abcd","reasoning_content":"04ef"},)"
        R"("finish_reason":null}],"usage":{"total_tokens":3}})");
    ASSERT_TRUE(std::holds_alternative<upstream_event::Choice>(event));
    const auto &choice = std::get<upstream_event::Choice>(event);
    EXPECT_EQ(choice.index, 0u);
    EXPECT_FALSE(choice.finish_reason.has_value());
    EXPECT_EQ(choice.content, std::optional<std::string>("04abcd"));
    EXPECT_EQ(choice.reasoning_content, std::optional<std::string>("04ef"));
    EXPECT_EQ(choice.identity.id, std::optional<std::string>("chatcmpl-upstream-test"));
    EXPECT_EQ(choice.identity.object, std::optional<std::string>("chat.completion.chunk"));
    EXPECT_EQ(choice.identity.created, std::optional<int64_t>(1717171717));
    EXPECT_EQ(choice.identity.model, std::optional<std::string>("e2ee-test"));
}

TEST(UpstreamEvent, NullEmptyOrAbsentDeltaFieldsAreAbsent) {
    for (const char *data : {R"({"choices":[{"delta":{"role":"assistant"}}]})",
                             R"({"choices":[{"delta":{"content":null,"reasoning_content":""}}]})",
                             R"({"choices":[{"delta":"not an object"}]})", R"({"choices":[{}]})"}) {
        const auto event = classify(data);
        ASSERT_TRUE(std::holds_alternative<upstream_event::Choice>(event)) << data;
        const auto &choice = std::get<upstream_event::Choice>(event);
        EXPECT_FALSE(choice.content.has_value()) << data;
        EXPECT_FALSE(choice.reasoning_content.has_value()) << data;
        EXPECT_EQ(choice.index, 0u);
    }
}

TEST(UpstreamEvent, NativeToolCallDeltasAreKeptAsSent) {
    const auto event = classify(R"({"choices":[{"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\"a"}}]}}]})");
    const auto &choice = std::get<upstream_event::Choice>(event);
    ASSERT_TRUE(choice.tool_calls);
    EXPECT_EQ(json::dump(*choice.tool_calls), R"([{"index":0,"function":{"arguments":"{\"a"}}])");
    for (const char *absent : {R"({"choices":[{"delta":{"tool_calls":null}}]})", R"({"choices":[{"delta":{"tool_calls":[]}}]})"})
        EXPECT_FALSE(std::get<upstream_event::Choice>(classify(absent)).tool_calls) << absent;
    EXPECT_NE(malformed_message(R"({"choices":[{"delta":{"tool_calls":{}}}]})").find("delta.tool_calls must be an array"),
              std::string::npos);
}

TEST(UpstreamEvent, FinishReasonAndIndexAreRead) {
    const auto event = classify(R"({"choices":[{"index":3,"finish_reason":"length","delta":{}}]})");
    const auto &choice = std::get<upstream_event::Choice>(event);
    EXPECT_EQ(choice.index, 3u);
    EXPECT_EQ(choice.finish_reason, std::optional<std::string>("length"));
}

TEST(UpstreamEvent, IllTypedIdentityFieldsAreIgnored) {
    const auto event = classify(R"({"id":7,"created":"now","model":null,"object":1,"choices":[{}]})");
    const auto &identity = std::get<upstream_event::Choice>(event).identity;
    EXPECT_FALSE(identity.id || identity.created || identity.model || identity.object);
    const auto big = classify(R"({"created":9223372036854775808,"choices":[{}]})");
    EXPECT_FALSE(std::get<upstream_event::Choice>(big).identity.created.has_value());
}

}  // namespace
}  // namespace vep::host
