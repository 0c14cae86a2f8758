// Unit test of the function-tag tool format through the SDK's fakes and the same
// vep::client::ToolFormatClient the proxy uses.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <vep/client.hpp>
#include <vep/testing/fake_host.hpp>

extern "C" const vep_plugin_descriptor *vep_plugin_entry(const vep_host_api *, char *, size_t);

using ::testing::HasSubstr;

namespace {

constexpr const char *kTools = R"([{"type":"function","function":{"name":"get_weather","parameters":{"type":"object"}}}])";

}  // namespace

TEST(FunctionTag, PromptsWithTheFormatAndTheTools) {
    vep::testing::FakeHost host;
    const vep::client::ToolFormatClient format(host.load(&vep_plugin_entry), "{}", nullptr);
    EXPECT_EQ(format.start_marker(), "<function=");
    const std::string prompt = format.controller_prompt(kTools, true);
    EXPECT_THAT(prompt, HasSubstr("<function=TOOL_NAME>"));
    EXPECT_THAT(prompt, HasSubstr("You must call at least one tool"));
    EXPECT_THAT(prompt, HasSubstr(kTools));
    const std::string correction = format.correction_prompt(kTools, false, "unknown tool foo", "<function=foo>{}</function>");
    EXPECT_THAT(correction, HasSubstr("unknown tool foo"));
    EXPECT_THAT(correction, HasSubstr("<function=foo>{}</function>"));
}

TEST(FunctionTag, ParsesCallsAndTheTextAroundThem) {
    vep::testing::FakeHost host;
    const vep::client::ToolFormatClient format(host.load(&vep_plugin_entry), "{}", nullptr);
    const auto parsed = format.parse(
        "Checking both.\n<function=get_weather>{\"city\": \"Paris\"}</function>\n"
        "<function=get_weather> {\"city\":\"Rome\",\"units\":1.50} </function>",
        kTools);
    ASSERT_EQ(parsed.calls.size(), 2u);
    EXPECT_EQ(parsed.calls[0].name, "get_weather");
    EXPECT_EQ(parsed.calls[0].arguments, R"({"city": "Paris"})");
    EXPECT_EQ(parsed.calls[1].arguments, R"({"city":"Rome","units":1.50})");
    EXPECT_EQ(parsed.text, "Checking both.");
}

TEST(FunctionTag, PlainAnswersHaveNoCalls) {
    vep::testing::FakeHost host;
    const vep::client::ToolFormatClient format(host.load(&vep_plugin_entry), "{}", nullptr);
    const auto parsed = format.parse("It is sunny.", kTools);
    EXPECT_TRUE(parsed.calls.empty());
    EXPECT_EQ(parsed.text, "It is sunny.");
}

TEST(FunctionTag, MalformedCallsAreParseErrors) {
    vep::testing::FakeHost host;
    const vep::client::ToolFormatClient format(host.load(&vep_plugin_entry), R"({"max_calls":1})", nullptr);
    for (const char *bad : {"<function=get_weather>{\"city\":\"Paris\"}", "<function=get_weather {}</function>",
                            "<function=>{}</function>", "<function=get_weather>[1,2]</function>",
                            "<function=get_weather>{\"city\":}</function>",
                            "<function=a>{}</function><function=b>{}</function>"}) {
        try {
            format.parse(bad, kTools);
            ADD_FAILURE() << "accepted: " << bad;
        } catch (const vep::Failure &f) {
            EXPECT_EQ(f.code(), "tool_parse_error") << bad;
        }
    }
}

TEST(FunctionTag, HistoryUsesTheSdkDefaults) {
    vep::testing::FakeHost host;
    const vep::client::ToolFormatClient format(host.load(&vep_plugin_entry), "{}", nullptr);
    const std::string rendered = format.render_tool_calls(
        R"([{"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Paris\"}"}}])");
    EXPECT_THAT(rendered, HasSubstr(R"(<previous_tool_call id="call_1" name="get_weather">)"));
    EXPECT_THAT(format.render_tool_result("call_1", "18C"), HasSubstr("18C"));
}

TEST(FunctionTag, RefusesUnknownConfig) {
    vep::testing::FakeHost host;
    EXPECT_THROW(vep::client::ToolFormatClient(host.load(&vep_plugin_entry), R"({"max_calls":0})", nullptr), vep::Failure);
    EXPECT_THROW(vep::client::ToolFormatClient(host.load(&vep_plugin_entry), R"({"style":"x"})", nullptr), vep::Failure);
}
