// Structured output (response_format json_object / json_schema, text.format on /v1/responses)
// end to end through venice-sim: the `echo` scenario answers with the user message, so a prompt
// that is JSON is a valid answer; `prefix` makes every attempt invalid and `first_prefix` only the
// first (the correction attempt answers without it).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "proxy_harness.hpp"

using namespace vep::test;
using ::testing::HasSubstr;

namespace {

const std::string kCity = R"({"name":"Rome","population":2800000})";
const char *kSchemaFormat =
    R"("response_format":{"type":"json_schema","json_schema":{"name":"city","strict":true,"schema":)"
    R"({"type":"object","properties":{"name":{"type":"string"},"population":{"type":"integer"}},)"
    R"("required":["name","population"],"additionalProperties":false}}})";
const char *kObjectFormat = R"("response_format":{"type":"json_object"})";

std::string message_content(const HttpResult &r) {
    return r.json().find("choices")->as_array().at(0).find("message")->find("content")->as_string();
}

class StructuredOutputRoute : public SharedHarnessTest<StructuredOutputRoute> {};

}  // namespace

TEST_F(StructuredOutputRoute, ValidBufferedAnswerPassesAfterOneAttempt) {
    auto r = h().post_chat(chat_body(kHermesModel, kCity, false, kSchemaFormat));
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(message_content(r), kCity);
    EXPECT_EQ(r.header("X-Venice-Proxy-Structured-Output-Retries"), "");
    EXPECT_EQ(h().sim_requests("chat/completions"), 1u);
    const auto records = h().sim().requests();
    EXPECT_FALSE(records.back().correction_prompt_present);
}

TEST_F(StructuredOutputRoute, StreamedAnswerArrivesWholeAfterValidation) {
    auto r = h().post_chat(chat_body(kHermesModel, "sim:scenario=echo split=awkward\n" + kCity, true, kObjectFormat));
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(streamed_content(r), kCity);
    EXPECT_TRUE(ends_with_done(r));
}

TEST_F(StructuredOutputRoute, FencedAnswerIsUnwrapped) {
    auto r = h().post_chat(chat_body(kHermesModel, "```json\n" + kCity + "\n```", false, kObjectFormat));
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(message_content(r), kCity);
}

TEST_F(StructuredOutputRoute, InvalidFirstAnswerIsCorrectedOnce) {
    for (const bool stream : {false, true}) {
        h().sim().reset();
        auto r = h().post_chat(chat_body(kHermesModel, "sim:scenario=echo first_prefix=Sure:\n" + kCity, stream,
                                         kSchemaFormat));
        ASSERT_EQ(r.status, 200) << r.body;
        EXPECT_EQ(r.header("X-Venice-Proxy-Structured-Output-Retries"), "1");
        EXPECT_EQ(stream ? streamed_content(r) : message_content(r), kCity);
        EXPECT_EQ(h().sim_requests("chat/completions"), 2u);
        EXPECT_TRUE(h().sim().requests().back().correction_prompt_present);
    }
}

TEST_F(StructuredOutputRoute, AnswerThatNeverValidatesIsAnErrorNotTheAnswer) {
    for (const bool stream : {false, true}) {
        h().sim().reset();
        auto r = h().post_chat(chat_body(kHermesModel, R"(sim:scenario=echo prefix=Sure:)" "\n" + kCity, stream,
                                         kSchemaFormat));
        EXPECT_EQ(r.status, 502) << r.body;
        EXPECT_EQ(r.header("X-Venice-Proxy-Error-Code"), "invalid_structured_output");
        EXPECT_THAT(r.body, ::testing::Not(HasSubstr("Rome")));
        const auto body = r.json();
        const auto &error = *body.find("error");
        EXPECT_EQ(error.find("type")->as_string(), "proxy_structured_output_error");
        EXPECT_EQ(error.find("details")->find("max_retries")->as_number().text, "1");
        EXPECT_THAT(error.find("details")->find("last_validation_error")->as_string(), HasSubstr("not JSON"));
        EXPECT_EQ(h().sim_requests("chat/completions"), 2u);
    }
}

TEST_F(StructuredOutputRoute, SchemaViolationIsReported) {
    auto r = h().post_chat(chat_body(kHermesModel, R"({"name":"Rome"})", false, kSchemaFormat));
    EXPECT_EQ(r.status, 502) << r.body;
    EXPECT_EQ(r.json().find("error")->find("details")->find("last_validation_error")->as_string(),
              "answer.population is required");
}

TEST_F(StructuredOutputRoute, BadSchemaAndToolsAreRefusedBeforeVenice) {
    auto bad = h().post_chat(chat_body(kHermesModel, kCity, false,
                                       R"("response_format":{"type":"json_schema","json_schema":{"name":"x",)"
                                       R"("schema":{"type":"object","required":"name"}}})"));
    EXPECT_EQ(bad.status, 400) << bad.body;
    EXPECT_THAT(bad.body, HasSubstr("response_format.json_schema.schema"));
    auto tools = h().post_chat(chat_body(
        kHermesModel, kCity, false,
        std::string(kObjectFormat) +
            R"(,"tools":[{"type":"function","function":{"name":"f","parameters":{"type":"object"}}}])"));
    EXPECT_EQ(tools.status, 400) << tools.body;
    EXPECT_EQ(tools.header("X-Venice-Proxy-Error-Code"), "unsupported_request_field");
    EXPECT_EQ(h().sim_requests("chat/completions"), 0u);
}

TEST_F(StructuredOutputRoute, ResponsesTextFormatIsValidatedToo) {
    const std::string body = R"({"model":")" + std::string(kHermesModel) + R"(","input":)" + vep::json::dump(vep::json::Value(kCity)) +
                             R"(,"text":{"format":{"type":"json_schema","name":"city","strict":true,"schema":)"
                             R"({"type":"object","required":["name","population"]}}}})";
    auto r = h().request("POST", "/v1/responses", body, {{"Content-Type", "application/json"}});
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_THAT(r.body, HasSubstr(R"(\"population\":2800000)"));
    const std::string bad = R"({"model":")" + std::string(kHermesModel) + R"(","input":"{\"name\":\"Rome\"}",)"
                            R"("text":{"format":{"type":"json_schema","name":"city","schema":)"
                            R"({"type":"object","required":["name","population"]}}}})";
    auto e = h().request("POST", "/v1/responses", bad, {{"Content-Type", "application/json"}});
    EXPECT_EQ(e.status, 502) << e.body;
    EXPECT_EQ(e.header("X-Venice-Proxy-Error-Code"), "invalid_structured_output");
}
