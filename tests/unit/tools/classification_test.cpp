// classify() and validate_tool_call(): the reference tools.rs tests ported,
// plus the fixed sharp edges. Runs the real plugins through the SDK.
#include <gtest/gtest.h>

#include <set>

#include "tool_test_support.hpp"
#include "tools/classification.hpp"
#include "tools/format_selection.hpp"

namespace {

using namespace vep::host::tools;
using namespace vep::host::tools::testing;
using vep::host::ToolsConfig;

const char *kStrictSchemaTool =
    R"([{"type":"function","function":{"name":"search_web","description":"Search the web","parameters":{"type":"object","properties":{"query":{"type":"string"}},"required":["query"],"additionalProperties":false}}}])";
const char *kObjectTool =
    R"([{"type":"function","function":{"name":"search_web","description":"Search the web","parameters":{"type":"object"}}}])";

// "call_" + 32 lowercase hex digits of a UUIDv4 (version nibble 4 at hex position 12).
bool is_call_id(const std::string &id) {
    if (id.size() != 37 || id.rfind("call_", 0) != 0) return false;
    for (size_t i = 5; i < id.size(); ++i)
        if (!((id[i] >= '0' && id[i] <= '9') || (id[i] >= 'a' && id[i] <= 'f'))) return false;
    return id[5 + 12] == '4';
}

const vep::client::ToolFormatClient &format_for(std::string_view model) { return format(select_format(model, {})); }

std::vector<ValidatedToolCall> expect_calls(const Classification &c) {
    if (const auto *calls = std::get_if<ToolCalls>(&c)) return calls->calls;
    if (const auto *invalid = std::get_if<InvalidToolCall>(&c)) ADD_FAILURE() << "invalid: " << invalid->error;
    else ADD_FAILURE() << "normal text";
    return {};
}

std::string expect_invalid(const Classification &c) {
    if (const auto *invalid = std::get_if<InvalidToolCall>(&c)) return invalid->error;
    ADD_FAILURE() << "expected an invalid tool call";
    return {};
}

TEST(Classification, ClassifiesValidHermesToolCall) {
    const ToolContext ctx = context(kStrictSchemaTool);
    const auto calls = expect_calls(classify(
        format_for("e2ee-test"), "\n<tool_call>\n{\"name\":\"search_web\",\"arguments\":{\"query\":\"Venice\"}}\n</tool_call>\n",
        ctx, true));
    ASSERT_EQ(calls.size(), 1u);
    EXPECT_TRUE(is_call_id(calls[0].id)) << calls[0].id;
    EXPECT_EQ(calls[0].name, "search_web");
    EXPECT_EQ(calls[0].arguments, R"({"query":"Venice"})");
    EXPECT_EQ(vep::json::dump(calls[0].to_openai()),
              R"({"id":")" + calls[0].id + R"(","type":"function","function":{"name":"search_web","arguments":"{\"query\":\"Venice\"}"}})");
}

TEST(Classification, ClassifiesGlmXmlToolCallForGlmModels) {
    const ToolContext ctx = context(kStrictSchemaTool);
    const auto calls = expect_calls(classify(
        format_for("e2ee-glm-5-1"), "<tool_call>search_web\n<arg_key>query</arg_key><arg_value>Venice</arg_value></tool_call>",
        ctx, true));
    ASSERT_EQ(calls.size(), 1u);
    EXPECT_EQ(calls[0].arguments, R"({"query":"Venice"})");
}

TEST(Classification, ClassifiesQwenXmlToolCallForQwenModels) {
    const ToolContext ctx = context(kStrictSchemaTool);
    const auto calls = expect_calls(classify(format_for("e2ee-qwen3-30b-a3b-p"),
                                             "<tool_call>\n{\"name\":\"search_web\",\"arguments\":{\"query\":\"Venice\"}}\n</tool_call>",
                                             ctx, true));
    ASSERT_EQ(calls.size(), 1u);
    EXPECT_EQ(calls[0].arguments, R"({"query":"Venice"})");
}

TEST(Classification, RejectsInvalidJsonUnknownToolAndSchemaMismatch) {
    const ToolContext ctx = context(kStrictSchemaTool);
    const auto &hermes = format("hermes");
    EXPECT_NE(expect_invalid(classify(hermes, R"(<tool_call>{"name":"search_web","arguments":{"query":"x",}}</tool_call>)", ctx, true))
                  .find("JSON is invalid"),
              std::string::npos);
    EXPECT_NE(expect_invalid(classify(hermes, R"(<tool_call>{"name":"unknown","arguments":{"query":"x"}}</tool_call>)", ctx, true))
                  .find("unknown tool name"),
              std::string::npos);
    EXPECT_NE(expect_invalid(classify(hermes, R"(<tool_call>{"name":"search_web","arguments":{"q":"x"}}</tool_call>)", ctx, true))
                  .find("arguments.query is required"),
              std::string::npos);
}

TEST(Classification, RecoversToolCallWithTruncatedClosingMarker) {
    const ToolContext ctx = context(kObjectTool);
    const auto calls = expect_calls(
        classify(format("hermes"), "<tool_call>\n{\"name\":\"search_web\",\"arguments\":{\"query\":\"a\"}}\n", ctx, true));
    ASSERT_EQ(calls.size(), 1u);
    EXPECT_EQ(calls[0].arguments, R"({"query":"a"})");
}

TEST(Classification, IgnoresTrailingGarbageAfterCompleteToolCall) {
    const ToolContext ctx = context(kObjectTool);
    for (const char *output : {R"(<tool_call>{"name":"search_web","arguments":{"query":"a"}}</arg_value>)",
                               R"(<tool_call>{"name":"search_web","arguments":{"query":"a"}}</arg_value></tool_call>)"}) {
        const auto calls = expect_calls(classify(format_for("e2ee-glm-5-1"), output, ctx, true));
        ASSERT_EQ(calls.size(), 1u) << output;
        EXPECT_EQ(calls[0].arguments, R"({"query":"a"})");
    }
}

TEST(Classification, ClassifiesOutputTruncatedMidJsonAsInvalidToolCall) {
    const ToolContext ctx = context(kObjectTool);
    EXPECT_NE(expect_invalid(classify(format("hermes"), R"(<tool_call>{"name":"search_web","argu)", ctx, true))
                  .find("tool call parsing failed"),
              std::string::npos);
}

TEST(Classification, ClassifiesPlainTextAndEnforcesRequiredToolCall) {
    EXPECT_TRUE(std::holds_alternative<NormalText>(classify(format("hermes"), "Hello, world!", context(kObjectTool), true)));
    EXPECT_NE(expect_invalid(classify(format("hermes"), "Hello, world!", context(kObjectTool, choice("required")), true))
                  .find("expected the assistant response"),
              std::string::npos);
}

TEST(Classification, ClassifiesMixedTextAndToolCallAsToolCalls) {
    const auto calls = expect_calls(classify(
        format("hermes"), "Let me check.\n<tool_call>{\"name\":\"search_web\",\"arguments\":{\"query\":\"a\"}}</tool_call>",
        context(kObjectTool), true));
    EXPECT_EQ(calls.size(), 1u);
}

TEST(Classification, ClassifiesMultipleToolCallsRegardlessOfParallelToolCalls) {
    const auto calls = expect_calls(classify(format("hermes"),
                                             "<tool_call>{\"name\":\"search_web\",\"arguments\":{\"query\":\"a\"}}</tool_call>\n"
                                             "<tool_call>{\"name\":\"search_web\",\"arguments\":{\"query\":\"b\"}}</tool_call>",
                                             context(kObjectTool), true));
    ASSERT_EQ(calls.size(), 2u);
    EXPECT_EQ(calls[0].arguments, R"({"query":"a"})");
    EXPECT_EQ(calls[1].arguments, R"({"query":"b"})");
    EXPECT_NE(calls[0].id, calls[1].id);
}

TEST(Classification, RejectsOversizedToolCallBlock) {
    ToolsConfig config;
    config.tool_call_max_bytes = 32;
    const ToolContext ctx = context(kObjectTool, choice("auto"), config);
    const std::string output = "<tool_call>{\"name\":\"search_web\",\"arguments\":{\"query\":\"abc\"}}</tool_call>";
    EXPECT_NE(expect_invalid(classify(format("hermes"), output, ctx, true)).find("max size of 32 bytes"), std::string::npos);
    // The streaming detector bounds its own buffer and skips the check.
    EXPECT_EQ(expect_calls(classify(format("hermes"), output, ctx, false)).size(), 1u);
}

TEST(Classification, PlainTextIsNotBoundedByToolCallMaxBytes) {
    ToolsConfig config;
    config.tool_call_max_bytes = 64;
    const ToolContext ctx = context(kObjectTool, choice("auto"), config);
    EXPECT_TRUE(std::holds_alternative<NormalText>(classify(format("hermes"), std::string(65, 'x'), ctx, true)));
    // Only the block counts: long text before a small call is fine.
    const std::string output = std::string(100, 'x') + R"(<tool_call>{"name":"search_web","arguments":{}}</tool_call>)";
    EXPECT_EQ(expect_calls(classify(format("hermes"), output, ctx, true)).size(), 1u);
}

TEST(Classification, CanDisableSchemaValidationExplicitly) {
    ToolsConfig config;
    config.validate_json_schema = false;
    const ToolContext ctx = context(
        R"([{"type":"function","function":{"name":"search_web","parameters":{"type":"object","required":["query"]}}}])",
        choice("auto"), config);
    const auto calls =
        expect_calls(classify(format("hermes"), R"(<tool_call>{"name":"search_web","arguments":{}}</tool_call>)", ctx, true));
    ASSERT_EQ(calls.size(), 1u);
    EXPECT_EQ(calls[0].arguments, "{}");
}

TEST(Classification, RejectsNonObjectArguments) {
    const ToolContext ctx = context(kObjectTool);
    EXPECT_NE(expect_invalid(classify(format("hermes"), R"(<tool_call>{"name":"search_web","arguments":[]}</tool_call>)", ctx, true))
                  .find("tool call parsing failed"),
              std::string::npos);
    const auto validated = validate_tool_call({"search_web", "[]"}, ctx);
    ASSERT_TRUE(std::holds_alternative<InvalidToolCall>(validated));
    EXPECT_NE(std::get<InvalidToolCall>(validated).error.find("arguments must be a JSON object"), std::string::npos);
}

TEST(Classification, ValidationMessages) {
    const ToolContext ctx = context(kStrictSchemaTool);
    auto error = [&](std::string name, std::string arguments) {
        const auto validated = validate_tool_call({std::move(name), std::move(arguments)}, ctx);
        return std::holds_alternative<InvalidToolCall>(validated) ? std::get<InvalidToolCall>(validated).error : "valid";
    };
    EXPECT_EQ(error(" ", "{}"), "tool call name must not be empty");
    EXPECT_EQ(error("x\"y", "{}"), R"(unknown tool name "x\"y")");
    EXPECT_EQ(error("search_web", "{"), "tool call arguments JSON is invalid: expected object key string at offset 1");
    EXPECT_EQ(error("search_web", R"({"query":1})"),
              "tool call arguments do not satisfy schema: arguments.query expected type string, got number");
    EXPECT_EQ(error("search_web", R"({"query":"x"})"), "valid");
}

TEST(Classification, ArgumentsAreCanonical) {
    const auto calls = expect_calls(classify(
        format("hermes"), "<tool_call>{\"name\":\"search_web\",\"arguments\":{\"b\":1.50, \"a\":{\"z\":1,\"y\":2}}}</tool_call>",
        context(kObjectTool), true));
    ASSERT_EQ(calls.size(), 1u);
    EXPECT_EQ(calls[0].arguments, R"({"a":{"y":2,"z":1},"b":1.50})");
}

TEST(Classification, PrettyPrintedCallsAreAllKept) {
    const auto calls = expect_calls(
        classify(format("hermes"),
                 "<tool_call>\n{\n  \"name\": \"search_web\",\n  \"arguments\": {\n    \"query\": \"a\"\n  }\n}\n</tool_call>\n"
                 "<tool_call>\n{\n  \"name\": \"search_web\",\n  \"arguments\": {\n    \"query\": \"b\"\n  }\n}\n</tool_call>",
                 context(kStrictSchemaTool), true));
    ASSERT_EQ(calls.size(), 2u);
    EXPECT_EQ(calls[1].arguments, R"({"query":"b"})");
}

TEST(Classification, LaterMalformedCallIsNotIgnored) {
    EXPECT_NE(expect_invalid(classify(format("hermes"),
                                      "<tool_call>{\"name\":\"search_web\",\"arguments\":{\"query\":\"a\"}}</tool_call>"
                                      "<tool_call>{\"name\":\"search_web\",\"arguments\":{\"query\":}}</tool_call>",
                                      context(kStrictSchemaTool), true))
                  .find("tool call parsing failed: tool call JSON is invalid"),
              std::string::npos);
    EXPECT_NE(expect_invalid(classify(format("hermes"),
                                      "<tool_call>{\"name\":\"search_web\",\"arguments\":{\"query\":\"a\"}}</tool_call>"
                                      "<tool_call>{\"name\":\"unknown\",\"arguments\":{}}</tool_call>",
                                      context(kStrictSchemaTool), true))
                  .find("unknown tool name \"unknown\""),
              std::string::npos);
}

TEST(Classification, CallIdsAreFresh) {
    std::set<std::string> ids;
    for (int i = 0; i < 100; ++i) {
        const std::string id = new_tool_call_id();
        EXPECT_TRUE(is_call_id(id)) << id;
        ids.insert(id);
    }
    EXPECT_EQ(ids.size(), 100u);
}

}  // namespace
