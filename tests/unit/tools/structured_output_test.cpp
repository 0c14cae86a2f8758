// Structured output emulation: the prompts and the local check of an answer against
// response_format json_object / json_schema.
#include "tools/structured_output.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace vep::host::tools {
namespace {

using ::testing::HasSubstr;

StructuredOutput city_schema() {
    StructuredOutput format;
    format.kind = StructuredOutput::Kind::JsonSchema;
    format.name = "city";
    format.schema = json::parse(
        R"({"type":"object","properties":{"name":{"type":"string"},"population":{"type":"integer"}},)"
        R"("required":["name","population"],"additionalProperties":false})");
    return format;
}

std::string accepted(std::string_view answer, const StructuredOutput &format) {
    auto checked = check_structured_answer(answer, format);
    const auto *ok = std::get_if<StructuredAnswer>(&checked);
    if (ok == nullptr) ADD_FAILURE() << "rejected: " << std::get<StructuredViolation>(checked).error;
    return ok ? ok->json : std::string();
}

std::string rejected(std::string_view answer, const StructuredOutput &format) {
    auto checked = check_structured_answer(answer, format);
    const auto *bad = std::get_if<StructuredViolation>(&checked);
    if (bad == nullptr) ADD_FAILURE() << "accepted: " << answer;
    return bad ? bad->error : std::string();
}

TEST(StructuredOutput, JsonObjectAcceptsAnyObjectTrimmed) {
    EXPECT_EQ(accepted("  {\"a\": [1, 2]}\n", StructuredOutput{}), "{\"a\": [1, 2]}");
}

TEST(StructuredOutput, OneSurroundingCodeFenceIsRemoved) {
    EXPECT_EQ(accepted("```json\n{\"a\":1}\n```", StructuredOutput{}), "{\"a\":1}");
    EXPECT_EQ(accepted("```\n{\"a\":1}\n```\n", StructuredOutput{}), "{\"a\":1}");
    EXPECT_THAT(rejected("```python\n{\"a\":1}\n```", StructuredOutput{}), HasSubstr("not JSON"));
}

TEST(StructuredOutput, ProseArraysAndScalarsAreRejected) {
    EXPECT_THAT(rejected("Sure! {\"a\":1}", StructuredOutput{}), HasSubstr("the answer is not JSON"));
    EXPECT_THAT(rejected("{\"a\":1} hope this helps", StructuredOutput{}), HasSubstr("the answer is not JSON"));
    EXPECT_THAT(rejected("[1,2]", StructuredOutput{}), HasSubstr("must be a JSON object, got array"));
    EXPECT_THAT(rejected("42", StructuredOutput{}), HasSubstr("got number"));
    EXPECT_THAT(rejected("", StructuredOutput{}), HasSubstr("not JSON"));
}

TEST(StructuredOutput, JsonSchemaIsValidated) {
    const auto format = city_schema();
    EXPECT_EQ(accepted(R"({"name":"Rome","population":2800000})", format), R"({"name":"Rome","population":2800000})");
    EXPECT_EQ(rejected(R"({"name":"Rome"})", format), "answer.population is required");
    EXPECT_THAT(rejected(R"({"name":"Rome","population":"many"})", format), HasSubstr("answer.population"));
    EXPECT_THAT(rejected(R"({"name":"Rome","population":1,"mayor":"x"})", format), HasSubstr("answer.mayor"));
}

TEST(StructuredOutput, ViolationsNeverEchoAnswerValues) {
    EXPECT_THAT(rejected(R"({"name":"SECRET-VALUE","population":"SECRET-COUNT"})", city_schema()),
                ::testing::Not(HasSubstr("SECRET")));
    EXPECT_THAT(rejected("SECRET-PROSE", StructuredOutput{}), ::testing::Not(HasSubstr("SECRET")));
}

TEST(StructuredOutput, PromptsCarryTheSchemaAndTheCorrection) {
    EXPECT_THAT(structured_output_prompt(StructuredOutput{}), HasSubstr("exactly one JSON object"));
    EXPECT_THAT(structured_output_prompt(StructuredOutput{}), ::testing::Not(HasSubstr("Schema")));
    const std::string with_schema = structured_output_prompt(city_schema());
    EXPECT_THAT(with_schema, HasSubstr("\"city\""));
    EXPECT_THAT(with_schema, HasSubstr(R"("required":["name","population"])"));
    const std::string correction = structured_correction_prompt("answer.population is required", "{\"name\":\"Rome\"}");
    EXPECT_THAT(correction, HasSubstr("Validation error: answer.population is required"));
    EXPECT_THAT(correction, HasSubstr("{\"name\":\"Rome\"}"));
    EXPECT_THAT(structured_correction_prompt("e", std::string(10000, 'x')), HasSubstr("[output truncated]"));
}

}  // namespace
}  // namespace vep::host::tools
