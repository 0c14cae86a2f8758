// AnswerTokens: what a chat exchange charges its key's daily budget — the upstream's reported
// completion tokens per attempt, else an estimate from the decrypted text; corrections add up.
#include <gtest/gtest.h>

#include "pipeline/answer_tokens.hpp"

using namespace vep::host;

namespace {

DecryptedEvent text(std::string content, std::string reasoning = "") {
    DecryptedChoice choice;
    choice.content = std::move(content);
    if (!reasoning.empty()) choice.reasoning_content = std::move(reasoning);
    return choice;
}

DecryptedEvent usage(uint64_t completion_tokens) {
    vep::json::Value usage = vep::json::Value::object();
    usage.set("prompt_tokens", uint64_t{1000});
    usage.set("completion_tokens", completion_tokens);
    return upstream_event::UsageOnly{{}, std::move(usage)};
}

}  // namespace

TEST(AnswerTokens, ReportedUsageWinsOverTheEstimate) {
    AnswerTokens tokens;
    tokens.observe(text(std::string(400, 'x')));
    EXPECT_EQ(tokens.total(), 100u);  // estimated: 4 bytes a token
    tokens.observe(usage(7));
    EXPECT_EQ(tokens.total(), 7u);
}

TEST(AnswerTokens, EstimatesCountContentAndReasoningRoundedUp) {
    AnswerTokens tokens;
    tokens.observe(text("abcde", "xyz"));
    EXPECT_EQ(tokens.total(), 2u);
    tokens.observe(upstream_event::Done{});
    EXPECT_EQ(tokens.total(), 2u);
}

TEST(AnswerTokens, EveryAttemptIsCharged) {
    AnswerTokens tokens;
    tokens.observe(text(std::string(40, 'x')));
    tokens.observe(usage(30));
    tokens.next_attempt();  // a tool-call correction
    tokens.observe(text(std::string(8, 'y')));
    EXPECT_EQ(tokens.total(), 32u);
    tokens.next_attempt();
    tokens.observe(usage(5));
    EXPECT_EQ(tokens.total(), 37u);
}
