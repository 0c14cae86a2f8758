// The shared marker-wrapped JSON parser in both dialects.
#include <gtest/gtest.h>

#include "vep/tools/marker_json_parser.hpp"

namespace {

using vep::Failure;
using vep::ParsedOutput;
using vep::tools::kLenientHermes;
using vep::tools::MarkerJsonDialect;
using vep::tools::parse_marker_wrapped_json;

constexpr MarkerJsonDialect kStrict{"Strict", true, false};

std::string error_of(std::string_view output, const MarkerJsonDialect &dialect) {
    try {
        parse_marker_wrapped_json(output, dialect);
    } catch (const Failure &f) {
        EXPECT_EQ(f.code(), "tool_parse_error");
        return f.what();
    }
    ADD_FAILURE() << "expected a parse error";
    return {};
}

TEST(MarkerJsonParser, TextWithoutMarkerIsAllText) {
    const ParsedOutput parsed = parse_marker_wrapped_json("just </tool_call> text", kLenientHermes);
    EXPECT_TRUE(parsed.calls.empty());
    EXPECT_EQ(parsed.text, "just </tool_call> text");
}

TEST(MarkerJsonParser, StrictDialectNeedsNewlineAndClosingMarker) {
    const ParsedOutput ok = parse_marker_wrapped_json("<tool_call>\n{\"name\":\"a\",\"arguments\":{}}\n</tool_call>", kStrict);
    ASSERT_EQ(ok.calls.size(), 1u);
    EXPECT_NE(error_of("<tool_call> {\"name\":\"a\",\"arguments\":{}}</tool_call>", kStrict).find("a newline must follow"),
              std::string::npos);
    EXPECT_NE(error_of("<tool_call>\n{\"name\":\"a\",\"arguments\":{}}\n", kStrict).find("incomplete Strict tool call"),
              std::string::npos);
    EXPECT_NE(error_of("<tool_call>\n{\"name\":\"a\",\"arguments\":{}}</x></tool_call>", kStrict).find("unexpected text"),
              std::string::npos);
    EXPECT_NE(error_of("<tool_call>\n```json\n{\"name\":\"a\",\"arguments\":{}}\n```\n</tool_call>", kStrict)
                  .find("markdown fences"),
              std::string::npos);
    EXPECT_NE(error_of("<tool_call>\n{\"name\":\"a\",\"arguments\":\"{}\"}\n</tool_call>", kStrict)
                  .find("got string"),
              std::string::npos);
}

TEST(MarkerJsonParser, LenientDialectAcceptsSeveralObjectsAndArraysInOneBlock) {
    const ParsedOutput parsed = parse_marker_wrapped_json(
        "<tool_call>{\"name\":\"a\",\"arguments\":{}}\n{\"name\":\"b\",\"arguments\":{}}</tool_call>"
        "<tool_call>[{\"name\":\"c\",\"arguments\":{}},{\"name\":\"d\",\"arguments\":{\"x\":[1,{\"y\":\"}\"}]}}]</tool_call>",
        kLenientHermes);
    ASSERT_EQ(parsed.calls.size(), 4u);
    EXPECT_EQ(parsed.calls[0].name, "a");
    EXPECT_EQ(parsed.calls[1].name, "b");
    EXPECT_EQ(parsed.calls[2].name, "c");
    EXPECT_EQ(parsed.calls[3].arguments, R"({"x":[1,{"y":"}"}]})");
}

TEST(MarkerJsonParser, UnclosedBlockEndsAtTheNextMarker) {
    const ParsedOutput parsed = parse_marker_wrapped_json(
        "<tool_call>{\"name\":\"a\",\"arguments\":{}}\n<tool_call>{\"name\":\"b\",\"arguments\":{}}</tool_call>tail",
        kLenientHermes);
    ASSERT_EQ(parsed.calls.size(), 2u);
    EXPECT_EQ(parsed.text, "tail");
}

TEST(MarkerJsonParser, ObjectNotClosedBeforeTheEndMarker) {
    EXPECT_NE(error_of("<tool_call>{\"name\":\"a\",\"arguments\":{}</tool_call>", kLenientHermes)
                  .find("not closed before </tool_call>"),
              std::string::npos);
}

TEST(MarkerJsonParser, MissingKeysAreNamed) {
    EXPECT_NE(error_of(R"(<tool_call>{"tool":"a","x":1}</tool_call>)", kLenientHermes).find(R"(needs a "name" string)"),
              std::string::npos);
    EXPECT_NE(error_of(R"(<tool_call>{"name":"a","parameters":{}}</tool_call>)", kLenientHermes).find("not \"parameters\""),
              std::string::npos);
    EXPECT_NE(error_of(R"(<tool_call>{"name":"a"}</tool_call>)", kLenientHermes).find(R"(needs an "arguments" object)"),
              std::string::npos);
    EXPECT_NE(error_of("<tool_call></tool_call>", kLenientHermes).find("empty tool call block"), std::string::npos);
    EXPECT_NE(error_of("<tool_call>[]</tool_call>", kLenientHermes).find("must not be empty"), std::string::npos);
}

TEST(MarkerJsonParser, GlmStyleBodyIsNotJson) {
    EXPECT_NE(error_of("<tool_call>search <arg_key>q</arg_key></tool_call>", kLenientHermes)
                  .find("expected a JSON object after <tool_call>"),
              std::string::npos);
}

TEST(MarkerJsonParser, StrayTextAfterTheObjectIsAnError) {
    EXPECT_NE(error_of("<tool_call>{\"name\":\"a\",\"arguments\":{}} and more</tool_call>", kLenientHermes)
                  .find("unexpected text after the tool call JSON object"),
              std::string::npos);
}

}  // namespace
