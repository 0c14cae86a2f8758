// parse_duration / format_duration: humantime syntax as the reference reads durations.
#include <gtest/gtest.h>

#include "config/duration.hpp"
#include "config/loader.hpp"
#include "config_test_support.hpp"

namespace vep::host {
namespace {

using namespace std::chrono_literals;
using testing::config_error_of;

TEST(Duration, ParsesSingleTerms) {
    EXPECT_EQ(parse_duration("30s"), 30s);
    EXPECT_EQ(parse_duration("10m"), 10min);
    EXPECT_EQ(parse_duration("1h"), 1h);
    EXPECT_EQ(parse_duration("500ms"), 500ms);
    EXPECT_EQ(parse_duration("2d"), 48h);
    EXPECT_EQ(parse_duration("1w"), 168h);
    EXPECT_EQ(parse_duration("0s"), 0ms);
    EXPECT_EQ(parse_duration("1M"), Duration(2630016000));
    EXPECT_EQ(parse_duration("1y"), Duration(31557600000));
    EXPECT_EQ(parse_duration("3000us"), 3ms);
    EXPECT_EQ(parse_duration("2000000ns"), 2ms);
}

TEST(Duration, AcceptsLongUnitNamesAndWhitespace) {
    EXPECT_EQ(parse_duration("30 seconds"), 30s);
    EXPECT_EQ(parse_duration("1 second"), 1s);
    EXPECT_EQ(parse_duration("5secs"), 5s);
    EXPECT_EQ(parse_duration("2 minutes"), 2min);
    EXPECT_EQ(parse_duration("3 hours"), 3h);
    EXPECT_EQ(parse_duration("2hrs"), 2h);
    EXPECT_EQ(parse_duration("250millis"), 250ms);
    EXPECT_EQ(parse_duration("  30s  "), 30s);
}

TEST(Duration, SumsCombinations) {
    EXPECT_EQ(parse_duration("1h 30m"), 90min);
    EXPECT_EQ(parse_duration("1h30m"), 90min);
    EXPECT_EQ(parse_duration("1m 30s 250ms"), 90250ms);
    EXPECT_EQ(parse_duration("1d 1h 1m 1s 1ms"), 86400000ms + 3600000ms + 60000ms + 1000ms + 1ms);
}

TEST(Duration, UnitsAreCaseSensitive) {
    EXPECT_EQ(parse_duration("1m"), 1min);
    EXPECT_EQ(parse_duration("1M"), Duration(2630016000));
    EXPECT_NE(config_error_of([] { parse_duration("1S"); }).find("unknown time unit \"S\""), std::string::npos);
}

TEST(Duration, RejectsMalformedText) {
    EXPECT_EQ(config_error_of([] { parse_duration(""); }), "invalid duration \"\": value was empty");
    EXPECT_EQ(config_error_of([] { parse_duration("   "); }), "invalid duration \"   \": value was empty");
    EXPECT_EQ(config_error_of([] { parse_duration("30"); }),
              "invalid duration \"30\": time unit needed, for example 30s or 30ms");
    EXPECT_EQ(config_error_of([] { parse_duration("s30"); }), "invalid duration \"s30\": expected number at 0");
    EXPECT_EQ(config_error_of([] { parse_duration("-5s"); }), "invalid duration \"-5s\": expected number at 0");
    EXPECT_EQ(config_error_of([] { parse_duration("1.5h"); }), "invalid duration \"1.5h\": invalid character at 1");
    EXPECT_EQ(config_error_of([] { parse_duration("10 parsecs"); }),
              "invalid duration \"10 parsecs\": unknown time unit \"parsecs\", supported units: ns, us, ms, sec, "
              "min, hours, days, weeks, months, years (and few variations)");
    EXPECT_EQ(config_error_of([] { parse_duration("5s,"); }), "invalid duration \"5s,\": invalid character at 2");
}

TEST(Duration, RejectsSubMillisecondAndOverflow) {
    EXPECT_EQ(config_error_of([] { parse_duration("1500us"); }),
              "invalid duration \"1500us\": sub-millisecond precision is not supported");
    EXPECT_EQ(config_error_of([] { parse_duration("99999999999999999999s"); }),
              "invalid duration \"99999999999999999999s\": number is too large");
    EXPECT_EQ(config_error_of([] { parse_duration("9999999999999999999y"); }),
              "invalid duration \"9999999999999999999y\": duration is too large");
}

TEST(Duration, FormatsShortestFormThatParsesBack) {
    EXPECT_EQ(format_duration(0ms), "0s");
    EXPECT_EQ(format_duration(30s), "30s");
    EXPECT_EQ(format_duration(90min), "1h 30m");
    EXPECT_EQ(format_duration(500ms), "500ms");
    EXPECT_EQ(format_duration(Duration(90061001)), "1d 1h 1m 1s 1ms");
    for (const Duration d : {Duration(1), Duration(999), Duration(61000), Duration(86400000), Duration(123456789)})
        EXPECT_EQ(parse_duration(format_duration(d)), d) << format_duration(d);
}

}  // namespace
}  // namespace vep::host
