// parse_log_filter: the EnvFilter directive syntax of `logging.level`.
#include <gtest/gtest.h>

#include "config/log_filter.hpp"
#include "config_test_support.hpp"

namespace vep::host {
namespace {

using testing::config_error_of;

TEST(LogFilter, BareLevelSetsTheDefault) {
    EXPECT_EQ(parse_log_filter("debug").default_level, "debug");
    EXPECT_EQ(parse_log_filter("INFO").default_level, "info");
    EXPECT_EQ(parse_log_filter("Warn").default_level, "warn");
    EXPECT_EQ(parse_log_filter("0").default_level, "off");
    EXPECT_EQ(parse_log_filter("5").default_level, "trace");
    EXPECT_TRUE(parse_log_filter("error").targets.empty());
}

TEST(LogFilter, DirectiveListSetsTargets) {
    const LogFilter filter = parse_log_filter("venice_e2ee_proxy=debug,tower_http=warn");
    EXPECT_EQ(filter.default_level, "off");
    ASSERT_EQ(filter.targets.size(), 2u);
    EXPECT_EQ(filter.targets.at("venice_e2ee_proxy"), "debug");
    EXPECT_EQ(filter.targets.at("tower_http"), "warn");
}

TEST(LogFilter, TargetWithoutLevelMeansTrace) {
    EXPECT_EQ(parse_log_filter("venice_e2ee_proxy").targets.at("venice_e2ee_proxy"), "trace");
    EXPECT_EQ(parse_log_filter("venice_e2ee_proxy=").targets.at("venice_e2ee_proxy"), "trace");
}

TEST(LogFilter, AcceptsModulePathsSpacesAndEmptyDirectives) {
    const LogFilter filter = parse_log_filter(" info , venice_e2ee_proxy::http=TRACE,, my-crate=2,");
    EXPECT_EQ(filter.default_level, "info");
    EXPECT_EQ(filter.targets.at("venice_e2ee_proxy::http"), "trace");
    EXPECT_EQ(filter.targets.at("my-crate"), "warn");
    EXPECT_EQ(parse_log_filter(",").default_level, "off");
}

TEST(LogFilter, LaterDirectivesWin) {
    const LogFilter filter = parse_log_filter("info,a=debug,warn,a=error");
    EXPECT_EQ(filter.default_level, "warn");
    EXPECT_EQ(filter.targets.at("a"), "error");
}

TEST(LogFilter, SpanDirectivesAreCheckedButIgnored) {
    const LogFilter filter = parse_log_filter("info,[request]=debug,venice_e2ee_proxy[chat{model=x,y}]=trace");
    EXPECT_EQ(filter.default_level, "info");
    EXPECT_TRUE(filter.targets.empty());
}

TEST(LogFilter, RejectsMalformedDirectives) {
    EXPECT_EQ(config_error_of([] { parse_log_filter("venice_e2ee_proxy=[debug"); }),
              "invalid filter directive \"venice_e2ee_proxy=[debug\": expected a level (trace, debug, info, warn, "
              "error, off or 0-5) after '=', got \"[debug\"");
    EXPECT_EQ(config_error_of([] { parse_log_filter("info,foo=verbose"); }),
              "invalid filter directive \"foo=verbose\": expected a level (trace, debug, info, warn, error, off or "
              "0-5) after '=', got \"verbose\"");
    EXPECT_EQ(config_error_of([] { parse_log_filter("=debug"); }),
              "invalid filter directive \"=debug\": expected a level, a target or a span filter");
    EXPECT_EQ(config_error_of([] { parse_log_filter("foo bar"); }),
              "invalid filter directive \"foo bar\": unexpected character ' '");
    EXPECT_EQ(config_error_of([] { parse_log_filter("foo[span"); }),
              "invalid filter directive \"foo[span\": unclosed span filter '['");
    EXPECT_EQ(config_error_of([] { parse_log_filter("foo=debug=info"); }),
              "invalid filter directive \"foo=debug=info\": expected a level (trace, debug, info, warn, error, off "
              "or 0-5) after '=', got \"debug=info\"");
    EXPECT_EQ(config_error_of([] { parse_log_filter("foo=6"); }),
              "invalid filter directive \"foo=6\": expected a level (trace, debug, info, warn, error, off or 0-5) "
              "after '=', got \"6\"");
}

TEST(LogFilter, EffectiveLevelUsesTheLongestMatchingPrefix) {
    const LogFilter filter = parse_log_filter("warn,venice=info,venice_e2ee_proxy=debug,venice_e2ee_proxy::sse=trace");
    EXPECT_EQ(proxy_log_level(filter), "debug");
    EXPECT_EQ(effective_log_level(filter, "venice_e2ee_proxy::sse::parser"), "trace");
    EXPECT_EQ(effective_log_level(filter, "venice_other"), "info");
    EXPECT_EQ(effective_log_level(filter, "hyper"), "warn");
}

TEST(LogFilter, ProxyLevelFallsBackToDefault) {
    EXPECT_EQ(proxy_log_level(parse_log_filter("info")), "info");
    EXPECT_EQ(proxy_log_level(parse_log_filter("tower_http=debug")), "off");
    EXPECT_EQ(proxy_log_level(parse_log_filter("venice_e2ee_proxy=debug,tower_http=warn")), "debug");
}

}  // namespace
}  // namespace vep::host
