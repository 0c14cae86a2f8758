// Controller and correction prompts through the host entry points; ports of the
// reference's prompt tests.
#include <gtest/gtest.h>

#include "tool_test_support.hpp"
#include "tools/prompts.hpp"

namespace {

using namespace vep::host::tools;
using namespace vep::host::tools::testing;

const char *kObjectTool = R"([{"type":"function","function":{"name":"search_web","parameters":{"type":"object"}}}])";

TEST(Prompts, BuildsControllerAndRetryPrompts) {
    for (const char *name : {"hermes", "qwen-xml", "glm-xml"}) {
        SCOPED_TRACE(name);
        const auto &fmt = format(name);
        const ToolContext required = context(kObjectTool, choice("required"));
        const std::string controller = controller_prompt(fmt, required);
        EXPECT_NE(controller.find("You must call at least one tool"), std::string::npos);
        EXPECT_NE(controller.find("Emit one marker block per tool call"), std::string::npos);
        EXPECT_NE(controller.find("<tool_call>"), std::string::npos);
        EXPECT_NE(controller.find("search_web"), std::string::npos);
        EXPECT_NE(controller.find("Available tools:\n" + required.exposed_tools_json()), std::string::npos);

        const std::string correction = correction_prompt(fmt, required, "bad name", "<tool_call>{}</tool_call>");
        EXPECT_NE(correction.find("Validation error:\nbad name"), std::string::npos);
        EXPECT_NE(correction.find("Invalid output:\n<tool_call>{}</tool_call>"), std::string::npos);
        EXPECT_NE(correction.find("You must now return only valid tool calls"), std::string::npos);

        EXPECT_NE(controller_prompt(fmt, context(kObjectTool)).find("If no tool is needed, answer normally"),
                  std::string::npos);
    }
}

TEST(Prompts, CorrectionPromptTruncatesOversizedInvalidOutput) {
    const ToolContext ctx = context(kObjectTool);
    const std::string oversized(kCorrectionOutputMaxBytes + 1, 'x');
    const std::string correction = correction_prompt(format("hermes"), ctx, "error", oversized);
    EXPECT_NE(correction.find("[output truncated]"), std::string::npos);
    EXPECT_EQ(correction.find(oversized), std::string::npos);
    EXPECT_EQ(correction_prompt(format("hermes"), ctx, "error", "<tool_call>{}</tool_call>").find("[output truncated]"),
              std::string::npos);
}

TEST(Prompts, CutInvalidOutputKeepsUtf8Whole) {
    const std::string text = std::string(kCorrectionOutputMaxBytes - 2, 'x') + "\xF0\x9F\x98\x80" + "tail";
    EXPECT_EQ(cut_invalid_output(text), std::string(kCorrectionOutputMaxBytes - 2, 'x') + " [output truncated]");
    EXPECT_EQ(cut_invalid_output(std::string(kCorrectionOutputMaxBytes, 'x')), std::string(kCorrectionOutputMaxBytes, 'x'));
}

TEST(Prompts, SpecificToolChoiceFiltersAvailableTools) {
    const ToolContext ctx = context(
        R"([{"type":"function","function":{"name":"search_web","parameters":{"type":"object"}}},
            {"type":"function","function":{"name":"other","parameters":{"type":"object"}}}])",
        choice("search_web"));
    const std::string controller = controller_prompt(format("hermes"), ctx);
    EXPECT_NE(controller.find("search_web"), std::string::npos);
    EXPECT_EQ(controller.find("other"), std::string::npos);
}

}  // namespace
