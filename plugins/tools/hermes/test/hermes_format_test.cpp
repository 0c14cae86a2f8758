// tools-hermes through the SDK test fakes: the same ABI path the host uses.
#include <gtest/gtest.h>

#include <string>

#include "tool_format_fixture.hpp"

namespace {

using vep::Failure;
using vep::ParsedOutput;
using vep::client::ToolFormatClient;

const std::string kTools =
    R"([{"type":"function","function":{"name":"search_web","parameters":{"properties":{"query":{"type":"string"}},"required":["query"],"type":"object"}}}])";

class HermesFormatTest : public vep::tools::testing::ToolFormatTest {
  protected:
    HermesFormatTest() : ToolFormatTest(kTools) {}
};

TEST_F(HermesFormatTest, DescribesItselfAsTheHermesToolFormat) {
    const vep_plugin_descriptor *d = host.load(&vep_plugin_entry);
    EXPECT_EQ(d->kind, VEP_KIND_TOOL_FORMAT);
    EXPECT_EQ(vep::view(d->name), "hermes");
    EXPECT_EQ(format.start_marker(), "<tool_call>");
}

TEST_F(HermesFormatTest, RejectsUnknownConfigKeys) {
    try {
        ToolFormatClient configured(host.load(&vep_plugin_entry), R"({"strict":true})", nullptr);
        FAIL() << "an unknown key must be refused";
    } catch (const Failure &f) {
        EXPECT_EQ(f.code(), "invalid_config");
        EXPECT_NE(std::string(f.what()).find("\"strict\""), std::string::npos);
    }
}

TEST_F(HermesFormatTest, ControllerPromptForRequiredChoice) {
    const std::string prompt = format.controller_prompt(kTools, true);
    EXPECT_NE(prompt.find("You must call at least one tool"), std::string::npos);
    EXPECT_NE(prompt.find("Emit one marker block per tool call."), std::string::npos);
    EXPECT_NE(prompt.find("Required tool-call format:\n\n<tool_call>\n{\"name\":\"TOOL_NAME\",\"arguments\":{...}}\n</tool_call>"),
              std::string::npos);
    EXPECT_NE(prompt.find("TOOL_NAME_1"), std::string::npos);
    EXPECT_NE(prompt.find("TOOL_NAME_2"), std::string::npos);
    EXPECT_NE(prompt.find("{\"tool\":\"TOOL_NAME\""), std::string::npos);
    EXPECT_EQ(prompt.find("If no tool is needed"), std::string::npos);
    const std::string trailer = "Available tools:\n" + kTools;
    ASSERT_GE(prompt.size(), trailer.size());
    EXPECT_EQ(prompt.substr(prompt.size() - trailer.size()), trailer);
}

TEST_F(HermesFormatTest, ControllerPromptForAutoChoice) {
    const std::string prompt = format.controller_prompt(kTools, false);
    EXPECT_NE(prompt.find("If no tool is needed, answer normally and do not use <tool_call>."), std::string::npos);
    EXPECT_EQ(prompt.find("You must call at least one tool"), std::string::npos);
}

TEST_F(HermesFormatTest, CorrectionPromptEchoesErrorAndOutput) {
    const std::string prompt = format.correction_prompt(kTools, true, "bad name", "<tool_call>{}</tool_call>");
    EXPECT_EQ(prompt.rfind("Your previous response attempted a tool call, but it was invalid.", 0), 0u);
    EXPECT_NE(prompt.find("Validation error:\nbad name\n\nInvalid output:\n<tool_call>{}</tool_call>\n\n"),
              std::string::npos);
    EXPECT_NE(prompt.find("You must now return only valid tool calls"), std::string::npos);
    EXPECT_NE(prompt.find("Do not answer the user directly."), std::string::npos);
    EXPECT_EQ(prompt.find("[output truncated]"), std::string::npos);
}

TEST_F(HermesFormatTest, CorrectionPromptCutsLongOutputAtUtf8Boundary) {
    // 4095 ASCII bytes, then "é" (2 bytes) straddling the 4096-byte limit.
    const std::string output = std::string(4095, 'x') + "\xC3\xA9" + std::string(10, 'y');
    const std::string prompt = format.correction_prompt(kTools, true, "error", output);
    EXPECT_NE(prompt.find("Invalid output:\n" + std::string(4095, 'x') + " [output truncated]\n\n"), std::string::npos);
    EXPECT_EQ(prompt.find("yyyy"), std::string::npos);
}

TEST_F(HermesFormatTest, ParsesOneCallAndKeepsSurroundingText) {
    const ParsedOutput parsed =
        parse("Let me check.\n<tool_call>\n{\"name\":\"search_web\",\"arguments\":{\"query\":\"Venice\"}}\n</tool_call>\nDone.");
    ASSERT_EQ(parsed.calls.size(), 1u);
    EXPECT_EQ(parsed.calls[0].name, "search_web");
    EXPECT_EQ(parsed.calls[0].arguments, R"({"query":"Venice"})");
    EXPECT_EQ(parsed.text, "Let me check.\n\nDone.");
}

TEST_F(HermesFormatTest, PrettyPrintedCallsDoNotDropLaterCalls) {
    const ParsedOutput parsed = parse(
        "<tool_call>\n{\n  \"name\": \"search_web\",\n  \"arguments\": {\n    \"query\": \"first\"\n  }\n}\n</tool_call>\n"
        "<tool_call>\n{\n  \"name\": \"search_web\",\n  \"arguments\": {\"query\": \"second\"}\n}\n</tool_call>");
    ASSERT_EQ(parsed.calls.size(), 2u);
    EXPECT_EQ(parsed.calls[0].arguments, R"({"query":"first"})");
    EXPECT_EQ(parsed.calls[1].arguments, R"({"query":"second"})");
}

TEST_F(HermesFormatTest, MalformedLaterCallIsAnError) {
    const std::string error = parse_error(
        "<tool_call>{\"name\":\"search_web\",\"arguments\":{\"query\":\"a\"}}</tool_call>\n"
        "<tool_call>{\"name\":\"search_web\",\"arguments\":{\"query\":\"b\",}}</tool_call>");
    EXPECT_NE(error.find("tool call JSON is invalid"), std::string::npos);
}

TEST_F(HermesFormatTest, MissingClosingMarkerIsRecovered) {
    const ParsedOutput parsed = parse("<tool_call>\n{\"name\":\"search_web\",\"arguments\":{\"query\":\"a\"}}\n");
    ASSERT_EQ(parsed.calls.size(), 1u);
    EXPECT_EQ(parsed.calls[0].arguments, R"({"query":"a"})");
}

TEST_F(HermesFormatTest, StrayClosingTagAfterCompleteCallIsTolerated) {
    for (const char *output : {"<tool_call>{\"name\":\"search_web\",\"arguments\":{\"query\":\"a\"}}</arg_value>",
                               "<tool_call>{\"name\":\"search_web\",\"arguments\":{\"query\":\"a\"}}</arg_value></tool_call>"}) {
        const ParsedOutput parsed = parse(output);
        ASSERT_EQ(parsed.calls.size(), 1u) << output;
        EXPECT_EQ(parsed.calls[0].arguments, R"({"query":"a"})");
    }
}

TEST_F(HermesFormatTest, MarkdownFencesInsideTheBlockAreAccepted) {
    const ParsedOutput parsed =
        parse("<tool_call>\n```json\n{\"name\":\"search_web\",\"arguments\":{\"query\":\"a\"}}\n```\n</tool_call>");
    ASSERT_EQ(parsed.calls.size(), 1u);
    EXPECT_EQ(parsed.calls[0].arguments, R"({"query":"a"})");
}

TEST_F(HermesFormatTest, ArgumentsAsAJsonStringHoldingAnObjectAreAccepted) {
    const ParsedOutput parsed =
        parse(R"(<tool_call>{"name":"search_web","arguments":"{\"query\":\"a\"}"}</tool_call>)");
    ASSERT_EQ(parsed.calls.size(), 1u);
    EXPECT_EQ(parsed.calls[0].arguments, R"({"query":"a"})");
    EXPECT_NE(parse_error(R"(<tool_call>{"name":"search_web","arguments":"query=a"}</tool_call>)")
                  .find("\"arguments\" must be a JSON object, got string"),
              std::string::npos);
}

TEST_F(HermesFormatTest, EitherKeyOrderAndExtraKeysAreAccepted) {
    const ParsedOutput parsed =
        parse(R"(<tool_call>{"arguments":{"query":"a"},"name":"search_web","id":"x"}</tool_call>)");
    ASSERT_EQ(parsed.calls.size(), 1u);
    EXPECT_EQ(parsed.calls[0].name, "search_web");
}

TEST_F(HermesFormatTest, FunctionCallSyntaxOfAnUnknownToolGivesAClearError) {
    const std::string error = parse_error(R"(<tool_call>search_wbe({"query":"secret-value"})</tool_call>)");
    EXPECT_NE(error.find("function-call syntax TOOL_NAME(...) is not supported"), std::string::npos);
    EXPECT_EQ(error.find("secret-value"), std::string::npos) << "errors must not echo the payload";
    EXPECT_NE(parse_error(R"(<tool_call>search_wbe{"query":"a"}</tool_call>)")
                  .find("a tool name followed by a JSON object is not supported"),
              std::string::npos);
}

TEST_F(HermesFormatTest, FunctionCallSyntaxOfADeclaredToolIsRepairedAndNamed) {
    const ParsedOutput call = parse(R"(<tool_call>search_web({"query":"a"})</tool_call>)");
    ASSERT_EQ(call.calls.size(), 1u);
    EXPECT_EQ(call.calls[0].arguments, R"({"query":"a"})");
    EXPECT_EQ(call.calls[0].repair, "call-syntax");
    const ParsedOutput object = parse(R"(<tool_call>search_web{"query":"a"}</tool_call>)");
    ASSERT_EQ(object.calls.size(), 1u);
    EXPECT_EQ(object.calls[0].repair, "name-json-objects");
}

TEST_F(HermesFormatTest, TrailingCommaStaysInvalid) {
    const std::string error = parse_error(R"(<tool_call>{"name":"search_web","arguments":{"query":"x",}}</tool_call>)");
    EXPECT_NE(error.find("JSON is invalid"), std::string::npos);
}

TEST_F(HermesFormatTest, NonObjectArgumentsAreAParseError) {
    EXPECT_NE(parse_error(R"(<tool_call>{"name":"search_web","arguments":[]}</tool_call>)")
                  .find("\"arguments\" must be a JSON object, got array"),
              std::string::npos);
}

TEST_F(HermesFormatTest, TruncationInsideJsonIsIncomplete) {
    EXPECT_NE(parse_error(R"(<tool_call>{"name":"search_web","argu)").find("incomplete Hermes tool call"),
              std::string::npos);
    EXPECT_NE(parse_error("<tool_call>").find("incomplete Hermes tool call"), std::string::npos);
}

TEST_F(HermesFormatTest, UnicodeNamesAndValuesSurvive) {
    const ParsedOutput parsed =
        parse("<tool_call>{\"name\":\"b\xC3\xBC" "cher\",\"arguments\":{\"titel\":\"\xE6\x97\xA5\xE6\x9C\xAC \\u00e9\"}}</tool_call>");
    ASSERT_EQ(parsed.calls.size(), 1u);
    EXPECT_EQ(parsed.calls[0].name, "b\xC3\xBC"
                                    "cher");
    EXPECT_EQ(parsed.calls[0].arguments, "{\"titel\":\"\xE6\x97\xA5\xE6\x9C\xAC \xC3\xA9\"}");
}

TEST_F(HermesFormatTest, PlainTextHasNoCalls) {
    const ParsedOutput parsed = parse("Hello <tool_cal> world");
    EXPECT_TRUE(parsed.calls.empty());
    EXPECT_EQ(parsed.text, "Hello <tool_cal> world");
}

TEST_F(HermesFormatTest, HistoryRenderingUsesTheReferenceForms) {
    EXPECT_EQ(format.render_tool_calls(
                  R"([{"id":"call_abc","type":"function","function":{"name":"search_web","arguments":"{\"query\":\"Venice E2EE\"}"}}])"),
              "<previous_tool_call id=\"call_abc\" name=\"search_web\">\n{\"query\":\"Venice E2EE\"}\n</previous_tool_call>");
    EXPECT_EQ(format.render_tool_result("a\"b", "42"),
              "<tool_result id=\"a&quot;b\">\n42\n</tool_result>\n\nUse the tool result above to continue the answer.");
}

TEST_F(HermesFormatTest, ParsingLogsNothing) {
    parse("<tool_call>{\"name\":\"search_web\",\"arguments\":{\"query\":\"private\"}}</tool_call>");
    parse_error("<tool_call>{\"name\":\"search_web\",\"arguments\":{\"query\":\"private\",}}</tool_call>");
    EXPECT_TRUE(host.logs().empty());
}

}  // namespace
