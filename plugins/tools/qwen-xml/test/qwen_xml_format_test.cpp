// tools-qwen-xml through the SDK test fakes: strict Qwen parsing and its Hermes fallback.
#include <gtest/gtest.h>

#include <string>

#include "tool_format_fixture.hpp"

namespace {

using vep::ParsedOutput;

const std::string kTools =
    R"([{"type":"function","function":{"name":"search_web","parameters":{"properties":{"query":{"type":"string"}},"type":"object"}}}])";

class QwenXmlFormatTest : public vep::tools::testing::ToolFormatTest {
  protected:
    QwenXmlFormatTest() : ToolFormatTest(kTools) {}
};

TEST_F(QwenXmlFormatTest, DescribesItself) {
    EXPECT_EQ(vep::view(host.load(&vep_plugin_entry)->name), "qwen-xml");
    EXPECT_EQ(format.start_marker(), "<tool_call>");
}

TEST_F(QwenXmlFormatTest, PromptsNameTheQwenFormat) {
    const std::string controller = format.controller_prompt(kTools, true);
    EXPECT_NE(controller.find("Qwen XML-wrapped JSON"), std::string::npos);
    EXPECT_NE(controller.find("There MUST be a newline immediately after <tool_call>."), std::string::npos);
    EXPECT_NE(controller.find("You must call at least one tool"), std::string::npos);
    EXPECT_NE(controller.find("Emit one marker block per tool call."), std::string::npos);
    EXPECT_EQ(controller.find("Do not put arguments directly after the tool name."), std::string::npos);
    EXPECT_NE(format.controller_prompt(kTools, false).find("If no tool is needed, answer normally"), std::string::npos);

    const std::string correction = format.correction_prompt(kTools, false, "bad", "out");
    EXPECT_NE(correction.find("Validation error:\nbad\n\nInvalid output:\nout\n\n"), std::string::npos);
    EXPECT_NE(correction.find("You must now return only valid tool calls"), std::string::npos);
    EXPECT_NE(correction.find("Use this exact Qwen XML-wrapped JSON format:"), std::string::npos);
    EXPECT_NE(correction.find("Available tools:\n" + kTools), std::string::npos);
}

TEST_F(QwenXmlFormatTest, ParsesNewlineWrappedJson) {
    const ParsedOutput parsed =
        format.parse("<tool_call>\n{\"name\":\"search_web\",\"arguments\":{\"query\":\"Venice\"}}\n</tool_call>", kTools);
    ASSERT_EQ(parsed.calls.size(), 1u);
    EXPECT_EQ(parsed.calls[0].name, "search_web");
    EXPECT_EQ(parsed.calls[0].arguments, R"({"query":"Venice"})");
}

TEST_F(QwenXmlFormatTest, MissingNewlineFallsBackToHermes) {
    const ParsedOutput parsed =
        format.parse("<tool_call>{\"name\":\"search_web\",\"arguments\":{\"query\":\"a\"}}</tool_call>", kTools);
    ASSERT_EQ(parsed.calls.size(), 1u);
    EXPECT_EQ(parsed.calls[0].arguments, R"({"query":"a"})");
}

TEST_F(QwenXmlFormatTest, MissingClosingMarkerFallsBackToHermes) {
    const ParsedOutput parsed =
        format.parse("<tool_call>\n{\"name\":\"search_web\",\"arguments\":{\"query\":\"a\"}}\n", kTools);
    ASSERT_EQ(parsed.calls.size(), 1u);
}

TEST_F(QwenXmlFormatTest, PrimaryErrorStandsWhenTheFallbackFails) {
    EXPECT_NE(parse_error("<tool_call>{\"name\":\"search_web\",\"arguments\":{\"query\":").find(
                  "a newline must follow <tool_call> in the Qwen XML format"),
              std::string::npos);
    EXPECT_NE(parse_error("<tool_call>\n{\"name\":\"search_web\",\"arguments\":{\"query\":").find(
                  "incomplete Qwen XML tool call"),
              std::string::npos);
}

TEST_F(QwenXmlFormatTest, UnknownNameIsLeftForTheHostToReject) {
    const ParsedOutput parsed =
        format.parse("<tool_call>\n{\"name\":\"other\",\"arguments\":{}}\n</tool_call>", kTools);
    ASSERT_EQ(parsed.calls.size(), 1u);
    EXPECT_EQ(parsed.calls[0].name, "other");
}

TEST_F(QwenXmlFormatTest, TwoPrettyPrintedCallsAreBothKept) {
    const ParsedOutput parsed = format.parse(
        "<tool_call>\n{\n  \"name\": \"search_web\",\n  \"arguments\": {\"query\": \"a\"}\n}\n</tool_call>\n"
        "<tool_call>\n{\n  \"name\": \"search_web\",\n  \"arguments\": {\"query\": \"b\"}\n}\n</tool_call>",
        kTools);
    ASSERT_EQ(parsed.calls.size(), 2u);
    EXPECT_EQ(parsed.calls[1].arguments, R"({"query":"b"})");
}

}  // namespace
