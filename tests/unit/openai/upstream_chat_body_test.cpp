// The chat body sent to Venice: encrypted, and the TEE-only body of a model the operator
// configured tee-only.
#include <gtest/gtest.h>

#include "openai/history_rendering.hpp"
#include "openai/upstream_chat_body.hpp"
#include "request_test_support.hpp"

namespace vep::host {
namespace {

using testing::parse_ok;

// Stand-in for the cipher: the body builder must copy contents verbatim, whatever they are.
std::vector<UpstreamMessage> fake_encrypted(const ParsedChatRequest &request) {
    auto messages = render_messages(request.messages, default_history_renderer());
    for (auto &m : messages) m.content = "enc(" + m.content + ")";
    return messages;
}

TEST(UpstreamChatBody, ConstructsRequestForNonStreamingMode) {
    const auto request = parse_ok(
        R"j({"model":"e2ee-test","messages":[{"role":"user","content":"hi"}],"stream":false,"temperature":0.2,)j"
        R"j("max_tokens":64,"stop":["END"],"venice_parameters":{"include_venice_system_prompt":false,"enable_web_search":"off"}})j");
    EXPECT_FALSE(request.stream);
    EXPECT_EQ(build_upstream_body(request, fake_encrypted(request)),
              R"j({"model":"e2ee-test","messages":[{"role":"user","content":"enc(hi)"}],"stream":true,)j"
              R"j("stream_options":{"include_usage":true},"venice_parameters":{"enable_e2ee":true,)j"
              R"j("include_venice_system_prompt":false,"strip_thinking_response":false,"disable_thinking":false,)j"
              R"j("enable_web_search":"off"},"temperature":0.2,"max_tokens":64,"stop":["END"]})j");
}

TEST(UpstreamChatBody, ConstructsRequestForStreamingModeAndUsageOption) {
    const auto request = parse_ok(R"j({"model":"e2ee-test","messages":[{"role":"user","content":"hi"}],"stream":true,)j"
                                  R"j("stream_options":{"include_usage":false}})j");
    EXPECT_TRUE(request.stream);
    const json::Value body = json::parse(build_upstream_body(request, fake_encrypted(request)));
    EXPECT_EQ(*body.find("stream"), json::Value(true));
    EXPECT_EQ(json::dump(*body.find("stream_options")), R"j({"include_usage":false})j");
}

TEST(UpstreamChatBody, ConstructsRequestWithToolControllerAndRetryPromptInOrder) {
    const auto request = parse_ok(
        R"j({"model":"e2ee-test","messages":[{"role":"user","content":"hi"}],"tools":[{"type":"function",)j"
        R"j("function":{"name":"search_web","parameters":{"type":"object"}}}],"tool_choice":"required",)j"
        R"j("parallel_tool_calls":true,"metadata":{"session_id":"s"}})j");
    std::vector<UpstreamMessage> messages = {{"system", "enc(controller prompt)"}};
    for (auto &m : fake_encrypted(request)) messages.push_back(m);
    messages.push_back({"system", "enc(retry prompt)"});
    const json::Value body = json::parse(build_upstream_body(request, messages));
    const auto &sent = body.find("messages")->as_array();
    ASSERT_EQ(sent.size(), 3u);
    EXPECT_EQ(sent[0].find("role")->as_string(), "system");
    EXPECT_EQ(sent[1].find("content")->as_string(), "enc(hi)");
    EXPECT_EQ(sent[2].find("content")->as_string(), "enc(retry prompt)");
    for (const char *never : {"tools", "tool_choice", "parallel_tool_calls", "metadata"})
        EXPECT_EQ(body.find(never), nullptr) << never;
}

TEST(UpstreamChatBody, ParsesAndForwardsReasoningControls) {
    const auto request = parse_ok(
        R"j({"model":"m","messages":[{"role":"user","content":"hi"}],"reasoning":{"effort":"high","enabled":true},)j"
        R"j("reasoning_effort":"high","venice_parameters":{"strip_thinking_response":true,"disable_thinking":true}})j");
    EXPECT_EQ(build_upstream_body(request, fake_encrypted(request)),
              R"j({"model":"m","messages":[{"role":"user","content":"enc(hi)"}],"stream":true,)j"
              R"j("stream_options":{"include_usage":true},"venice_parameters":{"enable_e2ee":true,)j"
              R"j("include_venice_system_prompt":false,"strip_thinking_response":true,"disable_thinking":true,)j"
              R"j("enable_web_search":"off"},"reasoning":{"effort":"high","enabled":true},"reasoning_effort":"high"})j");
}

TEST(UpstreamChatBody, ForwardedNumbersAreByteExactAndFieldOrderFixed) {
    const auto request = parse_ok(
        R"j({"stop":"x","max_completion_tokens":12,"top_p":1.000,"max_tokens":18446744073709551615,)j"
        R"j("temperature":7E-1,"model":"m","messages":[{"role":"user","content":"hi"}],"reasoning":{}})j");
    EXPECT_EQ(build_upstream_body(request, fake_encrypted(request)),
              R"j({"model":"m","messages":[{"role":"user","content":"enc(hi)"}],"stream":true,)j"
              R"j("stream_options":{"include_usage":true},"venice_parameters":{"enable_e2ee":true,)j"
              R"j("include_venice_system_prompt":false,"strip_thinking_response":false,"disable_thinking":false,)j"
              R"j("enable_web_search":"off"},"temperature":7E-1,"top_p":1.000,"max_tokens":18446744073709551615,)j"
              R"j("max_completion_tokens":12,"stop":"x","reasoning":{}})j");
}

TEST(UpstreamChatBody, StringsAreJsonEscaped) {
    ParsedChatRequest request;
    request.model = "m\"odel";
    const std::string body = build_upstream_body(request, {{"user", "a\nb\"c\\"}});
    const json::Value parsed = json::parse(body);
    EXPECT_EQ(parsed.find("model")->as_string(), "m\"odel");
    EXPECT_EQ(parsed.find("messages")->as_array()[0].find("content")->as_string(), "a\nb\"c\\");
}

TEST(UpstreamChatBody, TeeOnlyBodyPassesMessagesAndToolsNativelyWithE2eeOff) {
    const auto request = parse_ok(
        R"j({"model":"e2ee-glm-5-2-p","stream":false,"messages":[{"role":"system","content":"be brief"},)j"
        R"j({"role":"user","content":"weather?"},{"role":"assistant","content":null,"tool_calls":[{"id":"call_1",)j"
        R"j("type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Rome\"}"}}]},)j"
        R"j({"role":"tool","tool_call_id":"call_1","content":"sunny"}],)j"
        R"j("tools":[{"type":"function","function":{"name":"get_weather","description":"Weather",)j"
        R"j("parameters":{"type":"object","properties":{"city":{"type":"string"}}}}}],)j"
        R"j("tool_choice":{"type":"function","function":{"name":"get_weather"}},"temperature":0.5})j");
    const json::Value body = json::parse(build_tee_only_upstream_body(request));
    const auto &messages = body.find("messages")->as_array();
    ASSERT_EQ(messages.size(), 4u);
    EXPECT_EQ(messages[1].find("content")->as_string(), "weather?");
    EXPECT_TRUE(messages[2].find("content")->is_null());
    EXPECT_EQ(messages[2].find("tool_calls")->as_array()[0].find("id")->as_string(), "call_1");
    EXPECT_EQ(messages[3].find("tool_call_id")->as_string(), "call_1");
    EXPECT_EQ(messages[3].find("content")->as_string(), "sunny");
    EXPECT_EQ(body.find("tools")->as_array()[0].find("function")->find("name")->as_string(), "get_weather");
    EXPECT_EQ(json::dump(*body.find("tool_choice")), R"({"type":"function","function":{"name":"get_weather"}})");
    EXPECT_FALSE(body.find("venice_parameters")->find("enable_e2ee")->as_bool());
    EXPECT_TRUE(body.find("stream")->as_bool());
    EXPECT_EQ(json::dump(*body.find("temperature")), "0.5");
}

TEST(UpstreamChatBody, TeeOnlyBodyWithoutToolsHasNoToolKeys) {
    const auto request = parse_ok(R"j({"model":"m","messages":[{"role":"user","content":"hi"}]})j");
    const json::Value body = json::parse(build_tee_only_upstream_body(request));
    EXPECT_FALSE(body.find("tools"));
    EXPECT_FALSE(body.find("tool_choice"));
}

}  // namespace
}  // namespace vep::host
