// Message normalisation for upstream, including the fix that keeps the calls of an assistant
// message with content "" (the reference proxy dropped them). The attribute escaper and the text
// forms themselves are tested with the SDK (tests/conformance/sdk).
#include <gtest/gtest.h>

#include "openai/history_rendering.hpp"
#include "request_test_support.hpp"

namespace vep::host {
namespace {

using testing::parse_ok;

std::vector<UpstreamMessage> rendered(std::string_view body) {
    return render_messages(parse_ok(body).messages, default_history_renderer());
}

void expect_message(const UpstreamMessage &m, std::string_view role, std::string_view content) {
    EXPECT_EQ(m.role, role);
    EXPECT_EQ(m.content, content);
}

TEST(HistoryRendering, NormalizesSystemUserAndAssistantTextMessages) {
    const auto out = rendered(
        R"({"model":"e2ee-test","messages":[{"role":"system","content":"You are concise."},)"
        R"({"role":"user","content":[{"type":"text","text":"Hello"}]},{"role":"assistant","content":"Hi"}]})");
    ASSERT_EQ(out.size(), 3u);
    expect_message(out[0], "system", "You are concise.");
    expect_message(out[1], "user", "Hello");
    expect_message(out[2], "assistant", "Hi");
}

TEST(HistoryRendering, NormalizesAssistantToolCallHistory) {
    const auto out = rendered(
        R"({"model":"e2ee-test","messages":[{"role":"assistant","content":null,"tool_calls":[{"id":"call_abc",)"
        R"("type":"function","function":{"name":"search_web","arguments":"{\"query\":\"Venice E2EE\"}"}}]}]})");
    ASSERT_EQ(out.size(), 1u);
    expect_message(out[0], "assistant",
                   "<previous_tool_call id=\"call_abc\" name=\"search_web\">\n{\"query\":\"Venice E2EE\"}\n"
                   "</previous_tool_call>");
}

TEST(HistoryRendering, NormalizesParallelAssistantToolCallHistory) {
    const auto out = rendered(
        R"({"model":"e2ee-test","messages":[{"role":"assistant","content":null,"tool_calls":[)"
        R"({"id":"call_one","type":"function","function":{"name":"search_web","arguments":"{\"query\":\"Venice E2EE\"}"}},)"
        R"({"id":"call_two","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Venice\"}"}}]}]})");
    expect_message(out[0], "assistant",
                   "<previous_tool_call id=\"call_one\" name=\"search_web\">\n{\"query\":\"Venice E2EE\"}\n"
                   "</previous_tool_call>\n<previous_tool_call id=\"call_two\" name=\"get_weather\">\n"
                   "{\"city\":\"Venice\"}\n</previous_tool_call>");
}

TEST(HistoryRendering, NormalizesToolResultMessagesAsUserContext) {
    const auto out = rendered(
        R"({"model":"e2ee-test","messages":[{"role":"tool","tool_call_id":"call_abc","content":"result text"}]})");
    expect_message(out[0], "user",
                   "<tool_result id=\"call_abc\">\nresult text\n</tool_result>\n\n"
                   "Use the tool result above to continue the answer.");
}

TEST(HistoryRendering, ContentAndCallsAreJoinedByABlankLine) {
    const auto out = rendered(
        R"({"model":"m","messages":[{"role":"assistant","content":"Let me look.","tool_calls":[{"id":"c",)"
        R"("type":"function","function":{"name":"f","arguments":"{}"}}]}]})");
    expect_message(out[0], "assistant",
                   "Let me look.\n\n<previous_tool_call id=\"c\" name=\"f\">\n{}\n</previous_tool_call>");
}

TEST(HistoryRendering, EmptyContentKeepsToolCalls) {
    // The reference proxy dropped the calls here; stock SDKs send exactly this shape.
    const auto out = rendered(
        R"({"model":"m","messages":[{"role":"assistant","content":"","tool_calls":[{"id":"c","type":"function",)"
        R"("function":{"name":"f","arguments":"{\"x\":1}"}}]}]})");
    expect_message(out[0], "assistant", "<previous_tool_call id=\"c\" name=\"f\">\n{\"x\":1}\n</previous_tool_call>");
}

TEST(HistoryRendering, ArgumentsAreCanonicalSortedCompactWithNumbersKept) {
    const auto out = rendered(
        R"({"model":"m","messages":[{"role":"assistant","tool_calls":[{"id":"c","type":"function",)"
        R"("function":{"name":"f","arguments":" { \"z\" : 1.50, \"a\" : {\"y\":[1, 2], \"b\": null} } "}}]}]})");
    expect_message(out[0], "assistant",
                   "<previous_tool_call id=\"c\" name=\"f\">\n{\"a\":{\"b\":null,\"y\":[1,2]},\"z\":1.50}\n"
                   "</previous_tool_call>");
}

TEST(HistoryRendering, AttributesAreEscapedContentIsNot) {
    const auto out = rendered(
        R"({"model":"m","messages":[{"role":"assistant","tool_calls":[{"id":"a\"&<b>","type":"function",)"
        R"("function":{"name":"n<>","arguments":"\"<raw>\""}}]},)"
        R"({"role":"tool","tool_call_id":"x&\"y","content":"<b>&amp;</b>"}]})");
    expect_message(out[0], "assistant",
                   "<previous_tool_call id=\"a&quot;&amp;&lt;b&gt;\" name=\"n&lt;&gt;\">\n\"<raw>\"\n"
                   "</previous_tool_call>");
    expect_message(out[1], "user",
                   "<tool_result id=\"x&amp;&quot;y\">\n<b>&amp;</b>\n</tool_result>\n\n"
                   "Use the tool result above to continue the answer.");
}

TEST(HistoryRendering, DeveloperRoleIsForwardedUnchanged) {
    const auto out = rendered(R"({"model":"m","messages":[{"role":"developer","content":"d"}]})");
    expect_message(out[0], "developer", "d");
}

TEST(HistoryRendering, CustomRendererIsUsed) {
    HistoryRenderer renderer{
        [](const json::Value &calls) { return "CALLS:" + std::to_string(calls.as_array().size()); },
        [](std::string_view id, std::string_view content) { return std::string(id) + "=" + std::string(content); }};
    const auto out = render_messages(
        parse_ok(R"({"model":"m","messages":[{"role":"assistant","content":"t","tool_calls":[{"id":"c",)"
                 R"("type":"function","function":{"name":"f","arguments":"{}"}}]},)"
                 R"({"role":"tool","tool_call_id":"c","content":"r"}]})")
            .messages,
        renderer);
    expect_message(out[0], "assistant", "t\n\nCALLS:1");
    expect_message(out[1], "user", "c=r");
}

}  // namespace
}  // namespace vep::host
