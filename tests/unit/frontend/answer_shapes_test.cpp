// The Responses and Messages answer shapes fed the chat output the responders make
// (openai/chat_response builders): event order, item and block contents, tool calls, usage, the
// buffered bodies and the events that end a failed stream.
#include <gtest/gtest.h>

#include <algorithm>

#include "frontend/anthropic_error.hpp"
#include "frontend/messages_shape.hpp"
#include "frontend/responses_shape.hpp"
#include "openai/chat_response.hpp"

namespace vep::host {
namespace {

const ResponseIdentity kIdentity{"chatcmpl-1", "chat.completion.chunk", 1700000000, "upstream-model"};

std::string text_chunk(std::string_view text, bool reasoning = false) {
    ChunkDelta delta;
    (reasoning ? delta.reasoning_content : delta.content) = text;
    return build_stream_chunk(kIdentity, 0, delta, std::nullopt);
}
std::string finish_chunk(std::string_view reason) { return build_stream_chunk(kIdentity, 0, ChunkDelta{}, reason); }
std::string usage_chunk() {
    return build_usage_chunk(kIdentity, json::parse(R"({"prompt_tokens":7,"completion_tokens":5,"total_tokens":12})"));
}
const OutgoingToolCall kCall{"call_0123456789abcdef0123456789abcdef", "get_weather", R"({"city":"Paris"})"};
std::string call_chunk() {
    ChunkDelta delta;
    delta.tool_calls.push_back(IndexedToolCall{0, &kCall});
    return build_stream_chunk(kIdentity, 0, delta, std::nullopt);
}

// Runs a whole stream through `shape`; returns the event names and the parsed data.
struct ShapedRun {
    std::vector<std::string> names;
    std::vector<json::Value> data;
};
ShapedRun run(AnswerShape &shape, const std::vector<std::string> &chunks, bool complete = true) {
    ShapedRun r;
    auto take = [&](std::vector<ShapedEvent> events) {
        for (auto &e : events) {
            r.names.push_back(e.name);
            r.data.push_back(json::parse(e.data));
        }
    };
    take(shape.start());
    for (const auto &c : chunks) take(shape.chunk(c));
    if (complete) take(shape.done());
    else take(shape.stream_error(ProxyError::of("e2ee_response_decryption_failed", "bad chunk")));
    return r;
}

TEST(ResponsesShape, ReasoningTextAndUsageInOrder) {
    auto shape = make_responses_shape(TranslatedRequest{"", "my-model", true});
    const ShapedRun r = run(*shape, {text_chunk("think", true), text_chunk("Hel"), text_chunk("lo"), finish_chunk("stop"), usage_chunk()});
    EXPECT_EQ(r.names, (std::vector<std::string>{
                           "response.created", "response.in_progress", "response.output_item.added",
                           "response.reasoning_text.delta", "response.reasoning_text.done", "response.output_item.done",
                           "response.output_item.added", "response.content_part.added", "response.output_text.delta",
                           "response.output_text.delta", "response.output_text.done", "response.content_part.done",
                           "response.output_item.done", "response.completed"}));
    for (size_t i = 0; i < r.data.size(); ++i) {
        EXPECT_EQ(r.data[i].find("type")->as_string(), r.names[i]);
        EXPECT_EQ(r.data[i].find("sequence_number")->as_number().text, std::to_string(i));
    }
    const json::Value &response = *r.data.back().find("response");
    EXPECT_EQ(response.find("status")->as_string(), "completed");
    EXPECT_EQ(response.find("model")->as_string(), "my-model");
    EXPECT_EQ(json::dump(*response.find("usage")),
              R"({"input_tokens":7,"input_tokens_details":{"cached_tokens":0},"output_tokens":5,)"
              R"("output_tokens_details":{"reasoning_tokens":0},"total_tokens":12})");
    const auto &output = response.find("output")->as_array();
    ASSERT_EQ(output.size(), 2u);
    EXPECT_EQ(json::dump(*output[0].find("content")), R"([{"type":"reasoning_text","text":"think"}])");
    EXPECT_EQ(output[0].find("encrypted_content"), nullptr);
    EXPECT_EQ(output[1].find("content")->as_array()[0].find("text")->as_string(), "Hello");
    EXPECT_EQ(r.data[10].find("text")->as_string(), "Hello");
    EXPECT_EQ(r.data[9].find("output_index")->as_number().text, "1");
}

TEST(ResponsesShape, FunctionCallItemAndIncompleteOnLength) {
    auto shape = make_responses_shape(TranslatedRequest{"", "m", true});
    const ShapedRun r = run(*shape, {call_chunk(), finish_chunk("tool_calls")});
    EXPECT_EQ(r.names, (std::vector<std::string>{"response.created", "response.in_progress", "response.output_item.added",
                                                 "response.function_call_arguments.delta",
                                                 "response.function_call_arguments.done", "response.output_item.done",
                                                 "response.completed"}));
    const json::Value &item = *r.data[5].find("item");
    EXPECT_EQ(item.find("call_id")->as_string(), kCall.id);
    EXPECT_EQ(item.find("name")->as_string(), "get_weather");
    EXPECT_EQ(item.find("arguments")->as_string(), kCall.arguments);
    EXPECT_EQ(r.data[3].find("delta")->as_string(), kCall.arguments);

    auto cut = make_responses_shape(TranslatedRequest{"", "m", true});
    const ShapedRun length = run(*cut, {text_chunk("par"), finish_chunk("length")});
    EXPECT_EQ(length.names.back(), "response.incomplete");
    EXPECT_EQ(length.data.back().find("response")->find("incomplete_details")->find("reason")->as_string(),
              "max_output_tokens");
}

TEST(ResponsesShape, AFailedStreamEndsWithErrorAndFailedNeverCompleted) {
    auto shape = make_responses_shape(TranslatedRequest{"", "m", true});
    const ShapedRun r = run(*shape, {text_chunk("partial")}, false);
    EXPECT_EQ(std::vector<std::string>(r.names.end() - 2, r.names.end()),
              (std::vector<std::string>{"error", "response.failed"}));
    EXPECT_EQ(std::count(r.names.begin(), r.names.end(), "response.output_item.done"), 0);
    EXPECT_EQ(r.data[r.data.size() - 2].find("code")->as_string(), "e2ee_response_decryption_failed");
    EXPECT_EQ(r.data.back().find("response")->find("status")->as_string(), "failed");
}

TEST(ResponsesShape, BufferedBody) {
    auto shape = make_responses_shape(TranslatedRequest{"", "m", false});
    BufferedCompletion c;
    c.identity = kIdentity;
    c.content = std::nullopt;
    c.tool_calls = {kCall};
    c.finish_reason = "tool_calls";
    const json::Value body = json::parse(shape->body(build_completion_body(c)));
    EXPECT_EQ(body.find("object")->as_string(), "response");
    EXPECT_EQ(body.find("status")->as_string(), "completed");
    const auto &output = body.find("output")->as_array();
    ASSERT_EQ(output.size(), 1u);
    EXPECT_EQ(output[0].find("type")->as_string(), "function_call");
    EXPECT_EQ(output[0].find("arguments")->as_string(), kCall.arguments);
}

TEST(MessagesShape, ThinkingTextToolUseAndStopReason) {
    auto shape = make_messages_shape(TranslatedRequest{"", "claude-alias", true});
    const ShapedRun r = run(*shape, {text_chunk("hmm", true), text_chunk("Running."), call_chunk(), finish_chunk("tool_calls"), usage_chunk()});
    EXPECT_EQ(r.names, (std::vector<std::string>{"message_start", "ping", "content_block_start", "content_block_delta",
                                                 "content_block_stop", "content_block_start", "content_block_delta",
                                                 "content_block_stop", "content_block_start", "content_block_delta",
                                                 "content_block_stop", "message_delta", "message_stop"}));
    EXPECT_EQ(r.data[0].find("message")->find("model")->as_string(), "claude-alias");
    EXPECT_EQ(json::dump(*r.data[2].find("content_block")), R"({"type":"thinking","thinking":"","signature":""})");
    EXPECT_EQ(json::dump(*r.data[3].find("delta")), R"({"type":"thinking_delta","thinking":"hmm"})");
    EXPECT_EQ(json::dump(*r.data[6].find("delta")), R"({"type":"text_delta","text":"Running."})");
    EXPECT_EQ(json::dump(*r.data[8].find("content_block")),
              R"({"type":"tool_use","id":"toolu_0123456789abcdef0123456789abcdef","name":"get_weather","input":{}})");
    EXPECT_EQ(r.data[8].find("index")->as_number().text, "2");
    EXPECT_EQ(json::dump(*r.data[9].find("delta")), R"({"type":"input_json_delta","partial_json":"{\"city\":\"Paris\"}"})");
    EXPECT_EQ(json::dump(*r.data[11].find("delta")), R"({"stop_reason":"tool_use","stop_sequence":null})");
    EXPECT_EQ(json::dump(*r.data[11].find("usage")), R"({"input_tokens":7,"output_tokens":5})");
}

TEST(MessagesShape, AFailedStreamEndsWithAnErrorEventOnly) {
    auto shape = make_messages_shape(TranslatedRequest{"", "m", true});
    const ShapedRun r = run(*shape, {text_chunk("partial")}, false);
    EXPECT_EQ(r.names.back(), "error");
    EXPECT_EQ(std::count(r.names.begin(), r.names.end(), "message_stop"), 0);
    EXPECT_EQ(json::dump(r.data.back()),
              R"({"type":"error","error":{"type":"api_error","message":"bad chunk"}})");
}

TEST(MessagesShape, BufferedBodyAndErrorShape) {
    auto shape = make_messages_shape(TranslatedRequest{"", "m", false});
    BufferedCompletion c;
    c.identity = kIdentity;
    c.content = std::string_view("Done.");
    c.finish_reason = "length";
    const json::Value body = json::parse(shape->body(build_completion_body(c)));
    EXPECT_EQ(body.find("stop_reason")->as_string(), "max_tokens");
    EXPECT_EQ(json::dump(*body.find("content")), R"([{"type":"text","text":"Done."}])");
    EXPECT_EQ(anthropic_error_body(ProxyError::of("invalid_api_key", "no")),
              R"({"type":"error","error":{"type":"authentication_error","message":"no"}})");
    EXPECT_EQ(anthropic_error_type(ProxyError::of("rate_limit_exceeded", "x")), "rate_limit_error");
    EXPECT_EQ(anthropic_error_type(ProxyError::of("server_draining", "x")), "overloaded_error");
    EXPECT_EQ(anthropic_error_type(ProxyError::of("model_not_allowed", "x")), "permission_error");
}

}  // namespace
}  // namespace vep::host
