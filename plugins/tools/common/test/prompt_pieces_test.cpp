// Shared prompt pieces, in particular the bounded echo of invalid output.
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

TEST(PromptPieces, CorrectionOpeningLayout) {
    EXPECT_EQ(correction_opening("err", "out"),
              "Your previous response attempted a tool call, but it was invalid.\n\nValidation error:\nerr\n\n"
              "Invalid output:\nout\n\nYou must now return only valid tool calls and nothing else.\n\n");
}

}  // namespace
