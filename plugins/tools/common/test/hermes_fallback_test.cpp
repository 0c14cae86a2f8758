// The GLM/Qwen fallback rule (hermes_fallback.hpp) with scripted primary parsers.
#include <gtest/gtest.h>

#include "vep/tools/hermes_fallback.hpp"

namespace {

using vep::Failure;
using vep::ParsedOutput;
using vep::tools::parse_with_hermes_fallback;
using vep::tools::ToolCatalog;

const vep::json::Value kTools =
    vep::json::parse(R"([{"type":"function","function":{"name":"search","parameters":{"type":"object"}}}])");
const std::string kHermesCall = R"(<tool_call>{"name":"search","arguments":{"q":"h"}}</tool_call>)";

ParsedOutput calls(std::initializer_list<std::pair<const char *, const char *>> list) {
    ParsedOutput out;
    for (const auto &[name, args] : list) out.calls.push_back({name, args});
    return out;
}

TEST(HermesFallback, UsablePrimaryResultIsKept) {
    const ParsedOutput parsed = parse_with_hermes_fallback(kHermesCall, ToolCatalog(kTools),
                                                           [](std::string_view) { return calls({{"search", "{\"q\":\"p\"}"}}); });
    ASSERT_EQ(parsed.calls.size(), 1u);
    EXPECT_EQ(parsed.calls[0].arguments, R"({"q":"p"})");
}

TEST(HermesFallback, PrimaryErrorUsesFallback) {
    const ParsedOutput parsed = parse_with_hermes_fallback(kHermesCall, ToolCatalog(kTools), [](std::string_view) -> ParsedOutput {
        throw Failure("tool_parse_error", "primary");
    });
    ASSERT_EQ(parsed.calls.size(), 1u);
    EXPECT_EQ(parsed.calls[0].arguments, R"({"q":"h"})");
}

TEST(HermesFallback, ZeroCallsWithMarkerUsesFallback) {
    const ParsedOutput parsed =
        parse_with_hermes_fallback(kHermesCall, ToolCatalog(kTools), [](std::string_view) { return ParsedOutput{}; });
    EXPECT_EQ(parsed.calls.size(), 1u);
}

TEST(HermesFallback, ZeroCallsWithoutMarkerIsPlainText) {
    bool primary_ran = false;
    const ParsedOutput parsed = parse_with_hermes_fallback("hello", ToolCatalog(kTools), [&](std::string_view) {
        primary_ran = true;
        return ParsedOutput{{}, "hello"};
    });
    EXPECT_TRUE(primary_ran);
    EXPECT_TRUE(parsed.calls.empty());
    EXPECT_EQ(parsed.text, "hello");
}

TEST(HermesFallback, UnknownPrimaryNameUsesFallback) {
    const ParsedOutput parsed = parse_with_hermes_fallback(kHermesCall, ToolCatalog(kTools),
                                                           [](std::string_view) { return calls({{"{\"name\"", "{}"}}); });
    ASSERT_EQ(parsed.calls.size(), 1u);
    EXPECT_EQ(parsed.calls[0].name, "search");
}

TEST(HermesFallback, PrimaryOutcomeStandsWhenFallbackFails) {
    try {
        parse_with_hermes_fallback("<tool_call>nonsense", ToolCatalog(kTools), [](std::string_view) -> ParsedOutput {
            throw Failure("tool_parse_error", "primary error");
        });
        FAIL() << "the primary error must be rethrown";
    } catch (const Failure &f) {
        EXPECT_STREQ(f.what(), "primary error");
    }
    const ParsedOutput kept = parse_with_hermes_fallback("<tool_call>x", ToolCatalog(kTools),
                                                         [](std::string_view) { return calls({{"other", "{}"}}); });
    ASSERT_EQ(kept.calls.size(), 1u);
    EXPECT_EQ(kept.calls[0].name, "other");
}

TEST(HermesFallback, FallbackWithUnknownNameIsNotUsed) {
    const ParsedOutput parsed = parse_with_hermes_fallback(
        R"(<tool_call>{"name":"other","arguments":{}}</tool_call>)", ToolCatalog(kTools),
        [](std::string_view) { return ParsedOutput{}; });
    EXPECT_TRUE(parsed.calls.empty());
}

TEST(HermesFallback, EmptyCatalogAcceptsAnyName) {
    const ParsedOutput parsed = parse_with_hermes_fallback(
        R"(<tool_call>{"name":"other","arguments":{}}</tool_call>)", ToolCatalog(vep::json::Value::array()),
        [](std::string_view) { return ParsedOutput{}; });
    EXPECT_EQ(parsed.calls.size(), 1u);
}

}  // namespace
