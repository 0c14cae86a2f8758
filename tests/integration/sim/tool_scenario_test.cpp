// venice-sim: tool-call scenarios in the Hermes, Qwen and GLM syntaxes — well-formed and broken
// variants, tool name from the system prompt's "Available tools:", retries, awkward splits.
#include "sim_client.hpp"
#include "tool_call_text.hpp"

namespace vep::sim::test {
namespace {

constexpr const char *kHermes = "e2ee-hermes-3-llama-3.1-405b-p";
constexpr const char *kQwen = "e2ee-qwen3-235b-a22b-p";
constexpr const char *kGlm = "e2ee-glm-4-7-flash-p";

const std::string kSystem =
    "You can call tools.\n\nAvailable tools: "
    R"([{"type":"function","function":{"name":"get_weather","parameters":{"properties":{"city":{"type":"string"},)"
    R"("days":{"type":"integer"}},"required":["city"],"type":"object"}}},)"
    R"({"type":"function","function":{"name":"get_time","parameters":{"properties":{"zone":{"type":"string"}},"type":"object"}}}])";

const std::string kHermesCall = "<tool_call>\n{\"name\": \"get_weather\", \"arguments\": {\"city\":\"example\"}}\n</tool_call>";
const std::string kGlmCall = "<tool_call>get_weather\n<arg_key>city</arg_key>\n<arg_value>example</arg_value>\n</tool_call>";

class ToolScenarioTest : public SimFixture {
  protected:
    std::string tool_output(const std::string &model, const std::string &directive, const std::string &system = kSystem) {
        const ChatResult r = chat(model, "sim:scenario=tool " + directive + "\nWhat is the weather?",
                                  ChatOptions{.system = system});
        EXPECT_EQ(r.status, 200) << r.error_body;
        EXPECT_FALSE(r.decrypt_failed);
        EXPECT_TRUE(r.done);
        return r.content();
    }
    // The JSON object between "<tool_call>\n" and "\n</tool_call>".
    static json::Value json_inside(const std::string &text, size_t from = 0) {
        const size_t open = text.find("<tool_call>", from) + std::string("<tool_call>").size();
        const size_t close = text.find("</tool_call>", open);
        return json::parse(text.substr(open, close - open));
    }
};

TEST_F(ToolScenarioTest, WellFormedInEachFormatByModelFamily) {
    EXPECT_EQ(tool_output(kHermes, "variant=well_formed"), kHermesCall);
    EXPECT_EQ(tool_output(kQwen, ""), kHermesCall);
    EXPECT_EQ(tool_output(kGlm, ""), kGlmCall);
    EXPECT_EQ(tool_output(kHermes, "format=glm"), kGlmCall);
    EXPECT_TRUE(last_record().system_has_available_tools);
}

TEST_F(ToolScenarioTest, PrettyPrintedStillCarriesTheCall) {
    const std::string out = tool_output(kQwen, "variant=pretty");
    EXPECT_NE(out.find("{\n  \"name\": \"get_weather\",\n  \"arguments\": {\n    \"city\": \"example\"\n  }\n}"),
              std::string::npos);
    EXPECT_EQ(json_inside(out).find("arguments")->find("city")->as_string(), "example");
    EXPECT_NE(tool_output(kGlm, "variant=pretty").find("\n  <arg_key>city</arg_key>"), std::string::npos);
}

TEST_F(ToolScenarioTest, MissingCloseMalformedWrongNameInvalidArgs) {
    EXPECT_EQ(tool_output(kHermes, "variant=missing_close"), kHermesCall.substr(0, kHermesCall.size() - 12));
    EXPECT_EQ(tool_output(kGlm, "variant=missing_close").find("</tool_call>"), std::string::npos);

    const std::string malformed = tool_output(kHermes, "variant=malformed");
    EXPECT_NE(malformed.find("get_weather({\"city\":\"example\"}\n</tool_call>"), std::string::npos);
    EXPECT_THROW(json_inside(malformed), json::ParseError);
    const std::string glm_malformed = tool_output(kGlm, "variant=malformed");
    EXPECT_EQ(glm_malformed.find("</arg_value>"), std::string::npos);

    EXPECT_EQ(json_inside(tool_output(kQwen, "variant=wrong_name")).find("name")->as_string(), "no_such_tool");
    const json::Value invalid = json_inside(tool_output(kHermes, "variant=invalid_args"));
    EXPECT_EQ(invalid.find("arguments")->find("city"), nullptr);
    EXPECT_TRUE(invalid.find("arguments")->find("days")->is_string());
}

TEST_F(ToolScenarioTest, MultipleCallsAndTextBefore) {
    const std::string multiple = tool_output(kHermes, "variant=multiple");
    EXPECT_EQ(json_inside(multiple).find("name")->as_string(), "get_weather");
    EXPECT_EQ(json_inside(multiple, multiple.find("</tool_call>")).find("name")->as_string(), "get_time");
    const std::string glm_multiple = tool_output(kGlm, "variant=multiple");
    EXPECT_NE(glm_multiple.find("</tool_call>\n<tool_call>get_time\n<arg_key>zone</arg_key>"), std::string::npos);

    EXPECT_EQ(tool_output(kQwen, "variant=text_before"), std::string(kTextBeforeCall) + kHermesCall);
}

TEST_F(ToolScenarioTest, FailThenSucceedAndAlwaysMalformedFollowTheCorrectionPrompt) {
    const std::string correction = kSystem + "\n\nYour previous response attempted a tool call but it was invalid.\n"
                                             "Validation error:\nunknown tool\n\nYou must now return only valid tool calls";
    EXPECT_NE(tool_output(kHermes, "variant=fail_then_succeed").find("get_weather({"), std::string::npos);
    EXPECT_FALSE(last_record().correction_prompt_present);
    EXPECT_EQ(tool_output(kHermes, "variant=fail_then_succeed", correction), kHermesCall);
    EXPECT_TRUE(last_record().correction_prompt_present);
    EXPECT_NE(tool_output(kHermes, "variant=always_malformed", correction).find("get_weather({"), std::string::npos);
}

TEST_F(ToolScenarioTest, AwkwardSplitCutsEveryMarker) {
    const ChatResult r = chat(kGlm, "sim:scenario=tool split=awkward", ChatOptions{.system = kSystem});
    ASSERT_EQ(r.status, 200);
    EXPECT_EQ(r.content(), kGlmCall);
    EXPECT_GT(r.content_chunks.size(), 10u);
    for (const auto &chunk : r.content_chunks)
        for (const char *marker : {"<tool_call>", "</tool_call>", "<arg_key>", "<arg_value>"})
            EXPECT_EQ(chunk.find(marker), std::string::npos) << chunk;
}

TEST_F(ToolScenarioTest, ToolNameFallsBackToOverrideOrDefault) {
    EXPECT_EQ(json_inside(tool_output(kHermes, "", "no tools here")).find("name")->as_string(), kFallbackToolName);
    EXPECT_FALSE(last_record().system_has_available_tools);
    const json::Value call = json_inside(tool_output(kHermes, "tool=search args={\"q\":\"x\"}", "plain"));
    EXPECT_EQ(call.find("name")->as_string(), "search");
    EXPECT_EQ(call.find("arguments")->find("q")->as_string(), "x");
}

}  // namespace
}  // namespace vep::sim::test
