// Shared prompt pieces: the bounded echo of invalid output, the correction opening with the
// schema of the tool the model tried, the worked example and the compacted tool list.
#include <gtest/gtest.h>

#include "vep/tools/prompt_pieces.hpp"

namespace {

using namespace vep::tools;

TEST(PromptPieces, ShortOutputIsUnchanged) { EXPECT_EQ(cut_invalid_output("abc"), "abc"); }

TEST(PromptPieces, OutputAtTheLimitIsUnchanged) {
    const std::string exact(kCorrectionOutputMaxBytes, 'x');
    EXPECT_EQ(cut_invalid_output(exact), exact);
}

TEST(PromptPieces, LongOutputIsCutAndMarked) {
    const std::string cut = cut_invalid_output(std::string(kCorrectionOutputMaxBytes + 1, 'x'));
    EXPECT_EQ(cut, std::string(kCorrectionOutputMaxBytes, 'x') + " [output truncated]");
}

TEST(PromptPieces, CutBacksOffToAUtf8Boundary) {
    // A 3-byte character starting at byte 4095 would be split by a cut at 4096.
    const std::string text = std::string(kCorrectionOutputMaxBytes - 1, 'x') + "\xE2\x82\xAC" + "tail";
    EXPECT_EQ(cut_invalid_output(text), std::string(kCorrectionOutputMaxBytes - 1, 'x') + " [output truncated]");
}

TEST(PromptPieces, CuttingTwiceChangesNothing) {
    const std::string text = std::string(kCorrectionOutputMaxBytes - 1, 'x') + "\xE2\x82\xAC" + std::string(100, 'y');
    const std::string once = cut_invalid_output(text);
    EXPECT_EQ(cut_invalid_output(once), once);
}

TEST(PromptPieces, RequirementAndAutoRule) {
    EXPECT_NE(requirement_sentence(true).find("You must call at least one tool"), std::string_view::npos);
    EXPECT_EQ(requirement_sentence(false).find("You must call at least one tool"), std::string_view::npos);
    EXPECT_TRUE(auto_only_rule(true).empty());
    EXPECT_EQ(auto_only_rule(false), "\n- If no tool is needed, answer normally and do not use <tool_call>.");
}

constexpr std::string_view kTwoTools =
    R"([{"type":"function","function":{"name":"read","description":"Read a file. Long details follow.",)"
    R"("parameters":{"type":"object","title":"ReadArgs","properties":{"filePath":{"type":"string","description":"Path.",)"
    R"("examples":["/a"]},"limit":{"type":"integer"}},"required":["filePath"]}}},)"
    R"({"type":"function","function":{"name":"now","parameters":{"type":"object","properties":{}}}}])";

TEST(PromptPieces, CorrectionOpeningLayout) {
    EXPECT_EQ(correction_opening("err", "out"),
              "Your previous response attempted a tool call, but it was invalid.\n\nValidation error:\nerr\n\n"
              "Invalid output:\nout\n\nWrite the call again with this error fixed, keeping every argument you meant; "
              "do not invent values.\nYou must now return only valid tool calls and nothing else.\n\n");
}

TEST(PromptPieces, CorrectionShowsTheSchemaOfTheToolTheModelTried) {
    const std::string opening =
        correction_opening("tool call arguments do not satisfy schema: arguments.filePath is required",
                           "<tool_call>read(limit: 5)</tool_call>", kTwoTools);
    EXPECT_NE(opening.find("Invalid output:\n<tool_call>read(limit: 5)</tool_call>\n\nParameters of read (required: "
                           "filePath):\n{\"type\":\"object\",\"properties\":{\"filePath\":{\"type\":\"string\","
                           "\"description\":\"Path.\"},\"limit\":{\"type\":\"integer\"}},\"required\":[\"filePath\"]}\n\n"),
              std::string::npos)
        << opening;
    EXPECT_EQ(correction_opening("e", "<tool_call>read now</tool_call>", kTwoTools).find("Parameters of"),
              std::string::npos)
        << "two tools named: which schema is meant is unclear";
}

TEST(PromptPieces, WorkedExampleUsesTheFirstToolWithRequiredArguments) {
    const auto example = example_call(kTwoTools);
    ASSERT_TRUE(example);
    EXPECT_EQ(example->name, "read");
    EXPECT_EQ(vep::json::dump(example->arguments), R"({"filePath":"<filePath>"})");
    EXPECT_EQ(worked_example(kTwoTools, render_json_example),
              "\n\nExample with a tool from the list below (replace each <...> with the real value):\n\n"
              "<tool_call>\n{\"name\":\"read\",\"arguments\":{\"filePath\":\"<filePath>\"}}\n</tool_call>");
    EXPECT_EQ(worked_example("[]", render_json_example), "");
}

TEST(PromptPieces, SmallToolListsGoAsGiven) {
    EXPECT_EQ(available_tools(kTwoTools), "\n\nAvailable tools:\n" + std::string(kTwoTools));
}

TEST(PromptPieces, LargeToolListsAreCompactedKeepingEveryConstraint) {
    EXPECT_EQ(compact_tools_json(kTwoTools),
              R"([{"type":"function","function":{"name":"read","description":"Read a file.)" "\xE2\x80\xA6"
              R"(","parameters":)"
              R"({"type":"object","properties":{"filePath":{"type":"string","description":"Path."},"limit":)"
              R"({"type":"integer"}},"required":["filePath"]}}},{"type":"function","function":{"name":"now",)"
              R"("parameters":{"type":"object","properties":{}}}}])");
    // A property may be called "title" or "examples": names inside `properties` are never dropped.
    EXPECT_NE(compact_tools_json(R"([{"function":{"name":"t","parameters":{"properties":{"title":{"type":"string"}}}}}])")
                  .find(R"("title":{"type":"string"})"),
              std::string::npos);

    std::string large = "[";
    for (int i = 0; i < 40; ++i) {
        if (i) large += ',';
        large += R"({"type":"function","function":{"name":"tool)" + std::to_string(i) + R"(","description":")" +
                 std::string(1000, 'd') + R"(","parameters":{"type":"object","properties":{"a":{"type":"string",)"
                 R"("enum":["x","y"]}},"required":["a"]}}})";
    }
    large += "]";
    const std::string prompt = available_tools(large);
    EXPECT_LT(prompt.size(), large.size() / 2);
    const vep::json::Value compacted = vep::json::parse(prompt.substr(prompt.find('[')));
    ASSERT_EQ(compacted.as_array().size(), 40u);
    for (const auto &tool : compacted.as_array()) {
        const vep::json::Value &parameters = *tool.find("function")->find("parameters");
        EXPECT_EQ(vep::json::dump(*parameters.find("required")), R"(["a"])");
        EXPECT_EQ(vep::json::dump(*parameters.find("properties")->find("a")->find("enum")), R"(["x","y"])");
    }
}

}  // namespace
