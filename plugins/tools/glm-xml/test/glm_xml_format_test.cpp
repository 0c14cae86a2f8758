// tools-glm-xml through the SDK test fakes: GLM XML parsing, value typing and Hermes fallback.
#include <gtest/gtest.h>

#include <string>

#include "tool_format_fixture.hpp"

namespace {

using vep::ParsedOutput;

const std::string kTools =
    R"([{"type":"function","function":{"name":"search_web","parameters":{"properties":{"query":{"type":"string"},"limit":{"type":"integer"},"safe":{"type":"boolean"},"filters":{"type":"object"}},"type":"object"}}}])";

class GlmXmlFormatTest : public vep::tools::testing::ToolFormatTest {
  protected:
    GlmXmlFormatTest() : ToolFormatTest(kTools) {}
};

TEST_F(GlmXmlFormatTest, DescribesItself) {
    EXPECT_EQ(vep::view(host.load(&vep_plugin_entry)->name), "glm-xml");
    EXPECT_EQ(format.start_marker(), "<tool_call>");
}

TEST_F(GlmXmlFormatTest, PromptsShowAWorkedExampleAndTheTriedToolsSchema) {
    const std::string tools =
        R"([{"type":"function","function":{"name":"read","parameters":{"type":"object","properties":)"
        R"({"filePath":{"type":"string"}},"required":["filePath"]}}}])";
    EXPECT_NE(format.controller_prompt(tools, false)
                  .find("(replace each <...> with the real value):\n\n<tool_call>read\n<arg_key>filePath</arg_key>\n"
                        "<arg_value><filePath></arg_value>\n</tool_call>"),
              std::string::npos);
    const std::string correction =
        format.correction_prompt(tools, false, "tool call arguments do not satisfy schema: arguments.filePath is required",
                                 "<tool_call>read</tool_call>");
    EXPECT_NE(correction.find("Invalid output:\n<tool_call>read</tool_call>\n\nParameters of read (required: filePath):"),
              std::string::npos)
        << correction;
}

TEST_F(GlmXmlFormatTest, PromptsDescribeArgKeyPairs) {
    const std::string controller = format.controller_prompt(kTools, true);
    EXPECT_NE(controller.find("Required GLM XML tool-call format:\n\n<tool_call>TOOL_NAME\n<arg_key>ARGUMENT_NAME</arg_key>\n"
                              "<arg_value>ARGUMENT_VALUE</arg_value>\n</tool_call>"),
              std::string::npos);
    EXPECT_NE(controller.find("compact valid JSON inside <arg_value>"), std::string::npos);
    EXPECT_NE(controller.find("You must call at least one tool"), std::string::npos);
    EXPECT_NE(controller.find("Emit one marker block per tool call."), std::string::npos);
    EXPECT_NE(controller.find("TOOL_NAME_2"), std::string::npos);
    EXPECT_NE(format.controller_prompt(kTools, false).find("If no tool is needed, answer normally"), std::string::npos);

    const std::string correction = format.correction_prompt(kTools, true, "bad", "out");
    EXPECT_NE(correction.find("You must now return only valid tool calls"), std::string::npos);
    EXPECT_NE(correction.find("Use this exact GLM XML format:"), std::string::npos);
    EXPECT_EQ(correction.find("compact valid JSON"), std::string::npos);
    EXPECT_NE(correction.find("- Do not answer the user directly.\n\nAvailable tools:\n" + kTools), std::string::npos);
}

TEST_F(GlmXmlFormatTest, ParsesTheReferenceExample) {
    const ParsedOutput parsed =
        parse("<tool_call>search_web\n<arg_key>query</arg_key><arg_value>Venice</arg_value></tool_call>");
    ASSERT_EQ(parsed.calls.size(), 1u);
    EXPECT_EQ(parsed.calls[0].name, "search_web");
    EXPECT_EQ(parsed.calls[0].arguments, R"({"query":"Venice"})");
}

TEST_F(GlmXmlFormatTest, TypesValuesBySchema) {
    const ParsedOutput parsed = parse(
        "<tool_call>search_web\n<arg_key>query</arg_key>\n<arg_value> 42 </arg_value>\n"
        "<arg_key>limit</arg_key>\n<arg_value>5</arg_value>\n<arg_key>safe</arg_key>\n<arg_value>TRUE</arg_value>\n"
        "<arg_key>filters</arg_key>\n<arg_value>{\"lang\":\"de\"}</arg_value>\n<arg_key>extra</arg_key>\n"
        "<arg_value>null</arg_value>\n</tool_call>");
    ASSERT_EQ(parsed.calls.size(), 1u);
    EXPECT_EQ(parsed.calls[0].arguments,
              R"({"query":"42","limit":5,"safe":true,"filters":{"lang":"de"},"extra":null})");
}

TEST_F(GlmXmlFormatTest, EveryBlockIsParsedAndTextBetweenIsKept) {
    const ParsedOutput parsed =
        parse("First <tool_call>search_web<arg_key>query</arg_key><arg_value>a</arg_value></tool_call> then "
              "<tool_call>search_web<arg_key>query</arg_key><arg_value>b</arg_value></tool_call> end");
    ASSERT_EQ(parsed.calls.size(), 2u);
    EXPECT_EQ(parsed.calls[1].arguments, R"({"query":"b"})");
    EXPECT_EQ(parsed.text, "First  then  end");
}

TEST_F(GlmXmlFormatTest, CompleteCallWithoutClosingMarkerIsAccepted) {
    const ParsedOutput parsed =
        parse("<tool_call>search_web\n<arg_key>query</arg_key>\n<arg_value>a</arg_value>\n");
    ASSERT_EQ(parsed.calls.size(), 1u);
    EXPECT_EQ(parsed.calls[0].arguments, R"({"query":"a"})");
}

TEST_F(GlmXmlFormatTest, TruncatedCallIsIncomplete) {
    EXPECT_NE(parse_error("<tool_call>search_web\n<arg_key>query</arg_key>\n<arg_value>Ven").find("incomplete GLM tool call"),
              std::string::npos);
}

TEST_F(GlmXmlFormatTest, HermesJsonFallsBack) {
    const ParsedOutput parsed =
        parse("<tool_call>\n{\"name\":\"search_web\",\"arguments\":{\"query\":\"example\"}}\n</tool_call>");
    ASSERT_EQ(parsed.calls.size(), 1u);
    EXPECT_EQ(parsed.calls[0].arguments, R"({"query":"example"})");
}

TEST_F(GlmXmlFormatTest, HermesJsonWithStrayGlmTagFallsBack) {
    for (const char *output : {"<tool_call>{\"name\":\"search_web\",\"arguments\":{\"query\":\"a\"}}</arg_value>",
                               "<tool_call>{\"name\":\"search_web\",\"arguments\":{\"query\":\"a\"}}</arg_value></tool_call>"}) {
        const ParsedOutput parsed = parse(output);
        ASSERT_EQ(parsed.calls.size(), 1u) << output;
        EXPECT_EQ(parsed.calls[0].arguments, R"({"query":"a"})");
    }
}

TEST_F(GlmXmlFormatTest, FunctionCallSyntaxOfAnUnknownToolGivesAClearError) {
    const std::string error = parse_error(R"(<tool_call>search_wbe({"query":"secret-value"})</tool_call>)");
    EXPECT_NE(error.find("function-call syntax TOOL_NAME(...) is not supported"), std::string::npos);
    EXPECT_EQ(error.find("secret-value"), std::string::npos);
}

TEST_F(GlmXmlFormatTest, StrayTextInsideTheBlockIsAnError) {
    EXPECT_NE(parse_error("<tool_call>search_web query=a</tool_call>").find("unexpected text in the GLM tool call"),
              std::string::npos);
}

TEST_F(GlmXmlFormatTest, UnicodeNamesAndValuesSurvive) {
    const ParsedOutput parsed =
        parse("<tool_call>b\xC3\xBC" "cher<arg_key>titel</arg_key><arg_value>\xE6\x97\xA5\xE6\x9C\xAC</arg_value></tool_call>");
    ASSERT_EQ(parsed.calls.size(), 1u);
    EXPECT_EQ(parsed.calls[0].name, "b\xC3\xBC" "cher");
    EXPECT_EQ(parsed.calls[0].arguments, "{\"titel\":\"\xE6\x97\xA5\xE6\x9C\xAC\"}");
}

}  // namespace
