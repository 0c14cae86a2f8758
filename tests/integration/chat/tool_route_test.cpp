// Tool-call emulation end to end for all three formats, streaming and buffered: well-formed
// calls, model mistakes the parsers tolerate, retry-then-success, retry exhaustion, and the rule
// that no tool definition ever leaves the proxy in plaintext.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "proxy_harness.hpp"

using namespace vep::test;
using ::testing::HasSubstr;

namespace {

const char *kTools =
    R"("tools":[{"type":"function","function":{"name":"get_weather","description":"Weather for a city",)"
    R"("parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}},)"
    R"({"type":"function","function":{"name":"get_time","parameters":{"type":"object","properties":{"zone":{"type":"string"}}}}}])";

std::string tool_body(const std::string &model, const std::string &directive, bool stream,
                      const std::string &extra = "") {
    return chat_body(model, directive + "\nWhat is the weather in Rome?", stream,
                     std::string(kTools) + (extra.empty() ? "" : "," + extra));
}

const vep::json::Value &choice0(const vep::json::Value &chunk) { return chunk.find("choices")->as_array().at(0); }

// The tool calls of an SSE answer, in order, as {name, arguments}.
std::vector<std::pair<std::string, std::string>> streamed_calls(const HttpResult &r, std::string &finish) {
    std::vector<std::pair<std::string, std::string>> calls;
    for (const auto &data : r.sse_data()) {
        if (data == "[DONE]") continue;
        const auto v = vep::json::parse(data);
        if (v.find("error")) continue;
        const auto &choices = v.find("choices")->as_array();
        if (choices.empty()) continue;
        const auto &c = choices[0];
        if (const auto *f = c.find("finish_reason"); f && f->is_string()) finish = f->as_string();
        if (const auto *tc = c.find("delta")->find("tool_calls")) {
            for (const auto &call : tc->as_array()) {
                EXPECT_THAT(call.find("id")->as_string(), ::testing::StartsWith("call_"));
                EXPECT_EQ(call.find("type")->as_string(), "function");
                calls.emplace_back(call.find("function")->find("name")->as_string(),
                                   call.find("function")->find("arguments")->as_string());
            }
        }
    }
    return calls;
}

size_t chat_requests(ProxyHarness &h) {
    size_t n = 0;
    for (const auto &rec : h.sim().requests())
        if (rec.path.find("chat/completions") != std::string::npos) ++n;
    return n;
}

class ToolRoute : public SharedHarnessTest<ToolRoute> {};

}  // namespace

class ToolFormats : public ToolRoute, public ::testing::WithParamInterface<const char *> {};

TEST_P(ToolFormats, StreamedCallBecomesOpenAIToolCallDelta) {
    auto r = h().post_chat(tool_body(GetParam(), "sim:scenario=tool split=awkward chunk_bytes=5", true));
    ASSERT_EQ(r.status, 200) << r.body;
    std::string finish;
    const auto calls = streamed_calls(r, finish);
    ASSERT_EQ(calls.size(), 1u) << r.body;
    EXPECT_EQ(calls[0].first, "get_weather");
    EXPECT_EQ(calls[0].second, R"({"city":"example"})");
    EXPECT_EQ(finish, "tool_calls");
    EXPECT_EQ(r.sse_data().back(), "[DONE]");
    EXPECT_EQ(streamed_content(r), "");
}

TEST_P(ToolFormats, BufferedCallHasNullContent) {
    auto r = h().post_chat(tool_body(GetParam(), "sim:scenario=tool", false));
    ASSERT_EQ(r.status, 200) << r.body;
    const auto body = r.json();
    const auto &c = choice0(body);
    EXPECT_EQ(c.find("finish_reason")->as_string(), "tool_calls");
    EXPECT_TRUE(c.find("message")->find("content")->is_null());
    const auto &call = c.find("message")->find("tool_calls")->as_array().at(0);
    EXPECT_EQ(call.find("function")->find("name")->as_string(), "get_weather");
    EXPECT_EQ(call.find("function")->find("arguments")->as_string(), R"({"city":"example"})");
    EXPECT_EQ(r.header("X-Venice-Proxy-Tool-Retries"), "");
}

TEST_P(ToolFormats, PrettyPrintedAndMissingCloseAreRecovered) {
    for (const char *variant : {"pretty", "missing_close"}) {
        auto r = h().post_chat(tool_body(GetParam(), std::string("sim:scenario=tool split=awkward variant=") + variant, true));
        std::string finish;
        const auto calls = streamed_calls(r, finish);
        ASSERT_EQ(calls.size(), 1u) << variant << ": " << r.body;
        EXPECT_EQ(calls[0].first, "get_weather") << variant;
        EXPECT_EQ(finish, "tool_calls") << variant;
    }
}

TEST_P(ToolFormats, MultipleCallsGetDistinctIdsAndIndices) {
    auto r = h().post_chat(tool_body(GetParam(), "sim:scenario=tool variant=multiple", false));
    ASSERT_EQ(r.status, 200) << r.body;
    const auto body = r.json();
    const auto &calls = choice0(body).find("message")->find("tool_calls")->as_array();
    ASSERT_EQ(calls.size(), 2u);
    EXPECT_NE(calls[0].find("id")->as_string(), calls[1].find("id")->as_string());
    EXPECT_EQ(calls[0].find("function")->find("name")->as_string(), "get_weather");
    EXPECT_EQ(calls[1].find("function")->find("name")->as_string(), "get_time");

    auto s = h().post_chat(tool_body(GetParam(), "sim:scenario=tool variant=multiple split=awkward", true));
    std::string finish;
    EXPECT_EQ(streamed_calls(s, finish).size(), 2u) << s.body;
}

TEST_P(ToolFormats, RetryThenSuccess) {
    auto r = h().post_chat(tool_body(GetParam(), "sim:scenario=tool variant=fail_then_succeed", false));
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.header("X-Venice-Proxy-Tool-Retries"), "1");
    EXPECT_EQ(chat_requests(h()), 2u);
    const auto records = h().sim().requests();
    EXPECT_TRUE(records.back().correction_prompt_present);

    h().sim().reset();
    auto s = h().post_chat(tool_body(GetParam(), "sim:scenario=tool variant=fail_then_succeed", true));
    std::string finish;
    const auto calls = streamed_calls(s, finish);
    ASSERT_EQ(calls.size(), 1u) << s.body;
    EXPECT_EQ(finish, "tool_calls");
    EXPECT_EQ(chat_requests(h()), 2u);
}

TEST_P(ToolFormats, RetryExhaustionIsInvalidToolCall) {
    auto r = h().post_chat(tool_body(GetParam(), "sim:scenario=tool variant=always_malformed", false));
    EXPECT_EQ(r.status, 502) << r.body;
    EXPECT_EQ(r.header("X-Venice-Proxy-Error-Code"), "invalid_tool_call");
    const auto body = r.json();
    const auto &error = *body.find("error");
    EXPECT_EQ(error.find("type")->as_string(), "proxy_tool_call_error");
    EXPECT_EQ(error.find("details")->find("max_retries")->as_number().text, "2");
    EXPECT_FALSE(error.find("details")->find("last_validation_error")->as_string().empty());
    EXPECT_EQ(chat_requests(h()), 3u);

    auto s = h().post_chat(tool_body(GetParam(), "sim:scenario=tool variant=always_malformed", true));
    ASSERT_EQ(s.status, 200);
    const auto events = s.sse_data();
    EXPECT_NE(events.back(), "[DONE]");
    EXPECT_THAT(events.back(), HasSubstr("invalid_tool_call"));
}

TEST_P(ToolFormats, WrongToolNameIsRetriedAndReported) {
    auto r = h().post_chat(tool_body(GetParam(), "sim:scenario=tool variant=wrong_name", false));
    EXPECT_EQ(r.status, 502);
    EXPECT_THAT(r.json().find("error")->find("details")->find("last_validation_error")->as_string(),
                HasSubstr("no_such_tool"));
}

TEST_P(ToolFormats, NoToolDefinitionLeavesTheProxyInPlaintext) {
    h().post_chat(tool_body(GetParam(), "sim:scenario=tool", true));
    const auto records = h().sim().requests();
    ASSERT_FALSE(records.empty());
    const auto &chat = records.back();
    EXPECT_FALSE(chat.contains_tools_key);
    EXPECT_TRUE(chat.all_contents_ciphertext);
    EXPECT_FALSE(chat.plaintext_leak_detected);
    EXPECT_TRUE(chat.system_has_available_tools);
    EXPECT_EQ(chat.message_roles.front(), "system");
}

INSTANTIATE_TEST_SUITE_P(Formats, ToolFormats, ::testing::Values(kHermesModel, kQwenModel, kGlmModel),
                         [](const auto &info) {
                             std::string n = info.param;
                             for (auto &c : n)
                                 if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                             return n;
                         });

TEST_F(ToolRoute, TextBeforeCallStreamsThenCall) {
    auto r = h().post_chat(tool_body(kHermesModel, "sim:scenario=tool variant=text_before split=awkward", true));
    std::string finish;
    const auto calls = streamed_calls(r, finish);
    ASSERT_EQ(calls.size(), 1u);
    EXPECT_EQ(streamed_content(r), "Let me check that for you ☕\n");
    EXPECT_EQ(finish, "tool_calls");

    auto b = h().post_chat(tool_body(kHermesModel, "sim:scenario=tool variant=text_before", false));
    EXPECT_TRUE(choice0(b.json()).find("message")->find("content")->is_null());
}

TEST_F(ToolRoute, PlainAnswerInToolModeStaysText) {
    auto r = h().post_chat(tool_body(kHermesModel, "sim:scenario=echo prefix=plain:", true));
    ASSERT_EQ(r.status, 200);
    std::string finish;
    EXPECT_TRUE(streamed_calls(r, finish).empty());
    EXPECT_THAT(streamed_content(r), HasSubstr("plain:"));
    EXPECT_EQ(finish, "stop");
}

TEST_F(ToolRoute, RequiredToolChoiceIsEnforcedWhenStreaming) {
    auto r = h().post_chat(tool_body(kHermesModel, "sim:scenario=echo", true, R"("tool_choice":"required")"));
    ASSERT_EQ(r.status, 200);
    const auto events = r.sse_data();
    EXPECT_NE(events.back(), "[DONE]");
    EXPECT_THAT(events.back(), HasSubstr("invalid_tool_call"));
    EXPECT_EQ(chat_requests(h()), 3u);
}

TEST_F(ToolRoute, NamedToolChoiceExposesOnlyThatTool) {
    auto r = h().post_chat(tool_body(kHermesModel, "sim:scenario=tool", false,
                                     R"("tool_choice":{"type":"function","function":{"name":"get_time"}})"));
    ASSERT_EQ(r.status, 200) << r.body;
    const auto body = r.json();
    const auto &call = choice0(body).find("message")->find("tool_calls")->as_array().at(0);
    EXPECT_EQ(call.find("function")->find("name")->as_string(), "get_time");
}

TEST_F(ToolRoute, ToolValidationErrorsComeBeforeAttestation) {
    auto r = h().post_chat(chat_body(kHermesModel, "x", false,
                                     R"("tools":[{"type":"function","function":{"name":"a"}},{"type":"function","function":{"name":"a"}}])"));
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(r.header("X-Venice-Proxy-Error-Code"), "invalid_request");
    EXPECT_EQ(h().sim().requests().size(), 0u);
}

TEST_F(ToolRoute, ToolHistoryIsRenderedAndEncrypted) {
    const std::string body = R"({"model":")" + std::string(kHermesModel) + R"(","stream":false,)" + kTools +
                             R"(,"messages":[{"role":"user","content":"weather?"},)"
                             R"({"role":"assistant","content":"","tool_calls":[{"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Rome\"}"}}]},)"
                             R"({"role":"tool","tool_call_id":"call_1","content":"sunny"}]})";
    auto r = h().post_chat(body);
    ASSERT_EQ(r.status, 200) << r.body;
    const auto chat = h().sim().requests().back();
    EXPECT_EQ(chat.message_roles, (std::vector<std::string>{"system", "user", "assistant", "user"}));
    EXPECT_TRUE(chat.all_contents_ciphertext);
}

// http.rs chat_route_streams_hermes_format_tool_call_from_glm_model: the Hermes fallback.
TEST_F(ToolRoute, GlmModelAnsweringInHermesFormatIsAccepted) {
    auto r = h().post_chat(tool_body(kGlmModel, "sim:scenario=tool format=hermes", true));
    ASSERT_EQ(r.status, 200) << r.body;
    std::string finish;
    const auto calls = streamed_calls(r, finish);
    ASSERT_EQ(calls.size(), 1u) << r.body;
    EXPECT_EQ(calls[0].first, "get_weather");
    EXPECT_EQ(finish, "tool_calls");
}

// http.rs chat_route_tool_stream_passes_through_usage_chunk_when_requested.
TEST_F(ToolRoute, ToolStreamPassesUsageAfterTheFinishChunk) {
    auto r = h().post_chat(tool_body(kHermesModel, "sim:scenario=tool", true, R"("stream_options":{"include_usage":true})"));
    ASSERT_EQ(r.status, 200) << r.body;
    const auto events = r.sse_data();
    ASSERT_GE(events.size(), 3u);
    EXPECT_EQ(events.back(), "[DONE]");
    const auto usage = vep::json::parse(events[events.size() - 2]);
    EXPECT_TRUE(usage.find("choices")->as_array().empty());
    EXPECT_TRUE(usage.find("usage")->is_object());
    const auto finish = vep::json::parse(events[events.size() - 3]);
    EXPECT_EQ(choice0(finish).find("finish_reason")->as_string(), "tool_calls");
}

// http.rs chat_route_streams_all_tool_calls_when_parallel_tool_calls_false: the flag is ignored.
TEST_F(ToolRoute, ParallelToolCallsFalseStillReturnsEveryCall) {
    auto r = h().post_chat(tool_body(kHermesModel, "sim:scenario=tool variant=multiple", true, R"("parallel_tool_calls":false)"));
    ASSERT_EQ(r.status, 200) << r.body;
    std::string finish;
    EXPECT_EQ(streamed_calls(r, finish).size(), 2u) << r.body;
}

// http.rs chat_route_treats_marker_like_non_protocol_text_as_normal_text (venice-sim echoes the
// user text, so the test chooses the model output).
TEST_F(ToolRoute, MarkerLikeTextIsPlainText) {
    const std::string text = "I wrote <tool_cal> and <tool_callx> by mistake";
    auto s = h().post_chat(chat_body(kHermesModel, text, true, kTools));
    ASSERT_EQ(s.status, 200) << s.body;
    EXPECT_EQ(streamed_content(s), text);
    EXPECT_EQ(s.sse_data().back(), "[DONE]");
    auto b = h().post_chat(chat_body(kHermesModel, text, false, kTools));
    ASSERT_EQ(b.status, 200) << b.body;
    EXPECT_EQ(choice0(b.json()).find("message")->find("content")->as_string(), text);
    EXPECT_EQ(choice0(b.json()).find("finish_reason")->as_string(), "stop");
}

// http.rs chat_route_fails_closed_on_unterminated_streamed_tool_call: JSON cut off inside the
// call is never emitted as a call; after the retries the stream ends with an error, no [DONE].
TEST_F(ToolRoute, UnterminatedStreamedToolCallFailsClosed) {
    auto r = h().post_chat(chat_body(kHermesModel, "<tool_call>\n{\"name\": \"get_weather\", \"argu", true, kTools));
    ASSERT_EQ(r.status, 200) << r.body;
    const auto events = r.sse_data();
    ASSERT_FALSE(events.empty());
    EXPECT_NE(events.back(), "[DONE]");
    EXPECT_THAT(events.back(), HasSubstr("invalid_tool_call"));
    std::string finish;
    EXPECT_TRUE(streamed_calls(r, finish).empty());
}

// http.rs chat_route_fails_closed_when_streamed_tool_call_exceeds_max_bytes.
TEST(ToolLimits, StreamedToolCallOverMaxBytesFailsClosed) {
    ProxyHarness h("", [](vep::host::Config &c) { c.tools.tool_call_max_bytes = 64; });
    const std::string city(200, 'r');
    auto r = h.post_chat(tool_body(kHermesModel, "sim:scenario=tool args={\"city\":\"" + city + "\"}", true));
    ASSERT_EQ(r.status, 200) << r.body;
    const auto events = r.sse_data();
    ASSERT_FALSE(events.empty());
    EXPECT_NE(events.back(), "[DONE]");
    // As the reference: an over-long tool block is a malformed upstream answer, not retried.
    EXPECT_THAT(events.back(), HasSubstr("upstream_malformed_response"));
    EXPECT_THAT(events.back(), HasSubstr("max size of 64 bytes"));
    EXPECT_EQ(r.body.find(city), std::string::npos);  // the oversized payload is not relayed
}

// Filter stages see every upstream attempt, the tool-call correction as well as the first.
TEST(ToolRetries, FilterStagesSeeTheCorrectionAttempt) {
    ProxyHarness h("", [](vep::host::Config &c) {
        c.plugins.directories.push_back(VEP_FILTER_FIXTURE_DIR);
        c.plugins.load.push_back("attempt-counter-fixture");
        c.chain.stages.push_back("attempt-counter");
    });
    const auto first_try = h.post_chat(tool_body(kHermesModel, "sim:scenario=tool", false));
    ASSERT_EQ(first_try.status, 200) << first_try.body;
    EXPECT_EQ(first_try.header("X-Attempts-Seen"), "1");
    const auto corrected = h.post_chat(tool_body(kHermesModel, "sim:scenario=tool variant=fail_then_succeed", false));
    ASSERT_EQ(corrected.status, 200) << corrected.body;
    EXPECT_EQ(corrected.header("X-Venice-Proxy-Tool-Retries"), "1");
    EXPECT_EQ(corrected.header("X-Attempts-Seen"), "2");
}
